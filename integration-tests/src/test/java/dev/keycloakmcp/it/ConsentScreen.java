package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The MCP consent page in a real browser (the {@code mcp} theme's login-oauth-grant.ftl). */
final class ConsentScreen {

    private final Browser browser;

    ConsentScreen(Browser browser) {
        this.browser = browser;
        assertTrue(browser.waitFor("kc-oauth"), () -> "Not the consent page: " + browser.driver.getCurrentUrl() + "\n"
                + browser.driver.findElement(By.tagName("body")).getText());
    }

    String text(String id) {
        return browser.has(id) ? browser.text(id) : null;
    }

    WebElement element(String id) {
        return browser.find(id);
    }

    boolean has(String id) {
        return browser.has(id);
    }

    List<String> scopes() {
        return browser.driver.findElements(By.cssSelector("#mcp-scopes li")).stream().map(WebElement::getText).toList();
    }

    void allow() {
        browser.find("kc-login").click();
    }

    void deny() {
        browser.find("kc-cancel").click();
    }
}
