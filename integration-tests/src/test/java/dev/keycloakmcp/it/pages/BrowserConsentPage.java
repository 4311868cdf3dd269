package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The MCP consent page in a real browser (the {@code mcp} theme's login-oauth-grant.ftl). A text the page does not
 * show is {@code null}.
 */
public final class BrowserConsentPage {

    private final Browser browser;

    public BrowserConsentPage(Browser browser) {
        this.browser = browser;
        assertTrue(browser.waitFor("kc-oauth"), () -> "Not the consent page: " + browser.driver.getCurrentUrl() + "\n"
                + browser.driver.findElement(By.tagName("body")).getText());
    }

    public String title() {
        return text("mcp-grant-title");
    }

    public String clientName() {
        return text("mcp-client-name");
    }

    /** The notice that the client registered or described itself (nobody in the organisation checked it). */
    public String unverifiedNotice() {
        return text("mcp-unverified");
    }

    /** The notice that the organisation registered the client. */
    public String verifiedNotice() {
        return text("mcp-verified");
    }

    /** Where the answer goes: the host of the redirect URI, and what it is. */
    public String redirectHost() {
        return text("mcp-redirect-host");
    }

    /** The MCP server the token will be for. */
    public String resourceUrl() {
        return text("mcp-resource-url");
    }

    /** Where a metadata-document client's document was published. */
    public String documentHost() {
        return text("mcp-document-host");
    }

    /** The warning that a client listening only on this computer can be any program on it. */
    public String loopbackWarning() {
        return text("mcp-loopback-only");
    }

    public List<String> requestedScopes() {
        return browser.driver.findElements(By.cssSelector("#mcp-scopes li")).stream().map(WebElement::getText).toList();
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

    private String text(String id) {
        return browser.has(id) ? browser.text(id) : null;
    }
}
