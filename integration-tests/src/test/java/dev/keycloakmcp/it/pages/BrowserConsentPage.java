package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The MCP consent page in a real browser (the {@code mcp} theme's login-oauth-grant.ftl). */
public final class BrowserConsentPage {

    private final Browser browser;

    public BrowserConsentPage(Browser browser) {
        this.browser = browser;
        assertTrue(browser.waitFor("kc-oauth"), () -> "Not the consent page: " + browser.driver.getCurrentUrl() + "\n"
                + browser.driver.findElement(By.tagName("body")).getText());
    }

    public String text(String id) {
        return browser.has(id) ? browser.text(id) : null;
    }

    public WebElement element(String id) {
        return browser.find(id);
    }

    public boolean has(String id) {
        return browser.has(id);
    }

    public List<String> scopes() {
        return browser.driver.findElements(By.cssSelector("#mcp-scopes li")).stream().map(WebElement::getText).toList();
    }

    public void allow() {
        browser.find("kc-login").click();
    }

    public void deny() {
        browser.find("kc-cancel").click();
    }
}
