package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The consent page in a real browser, answered by clicking its buttons. */
public final class BrowserConsentPage extends ConsentPage {

    private final Browser browser;

    public BrowserConsentPage(Browser browser) {
        this.browser = browser;
        assertTrue(browser.waitFor("kc-oauth"), () -> "Not the consent page: " + browser.driver.getCurrentUrl() + "\n"
                + browser.driver.findElement(By.tagName("body")).getText());
    }

    public boolean hasLogo() {
        return browser.has("mcp-client-logo");
    }

    public String logoUrl() {
        return browser.find("mcp-client-logo").getAttribute("src");
    }

    public String logoDescription() {
        return browser.find("mcp-client-logo").getAttribute("alt");
    }

    /** What stands in for a logo the page does not show (the client name's initial). */
    public String logoPlaceholder() {
        return text("mcp-client-logo-placeholder");
    }

    public boolean hasWebsite() {
        return browser.has("mcp-client-website");
    }

    public String websiteUrl() {
        return browser.find("mcp-client-website").getAttribute("href");
    }

    public String allowLabel() {
        return text("kc-login");
    }

    public String denyLabel() {
        return text("kc-cancel");
    }

    /** Whether the page shows an image loaded from {@code src} (a client name that became markup would). */
    public boolean showsImageFrom(String src) {
        return browser.showsImageFrom(src);
    }

    public void allow() {
        browser.find("kc-login").click();
    }

    public void deny() {
        browser.find("kc-cancel").click();
    }

    @Override
    String text(String id) {
        return browser.has(id) ? browser.text(id) : null;
    }

    @Override
    List<String> texts(String selector) {
        return browser.driver.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }
}
