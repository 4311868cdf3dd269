package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.openqa.selenium.By;

/** Keycloak's sign-in page in a real browser (the {@code mcp} theme's login.ftl). */
public final class BrowserSignInPage {

    private final Browser browser;

    public BrowserSignInPage(Browser browser) {
        this.browser = browser;
        assertTrue(browser.waitFor("kc-form-login"), () -> "Not the sign-in page: " + browser.driver.getTitle() + " " + browser.driver.getCurrentUrl());
    }

    /** What the page says about the MCP request: the client, then the MCP server (absent for other requests). */
    public String context() {
        return browser.has("mcp-login-context") ? browser.text("mcp-login-context") : null;
    }

    /** The label of the realm's identity-provider button with this alias. */
    public String identityProviderLabel(String identityProvider) {
        return browser.text("social-" + identityProvider);
    }

    /** The language the page declares ({@code <html lang>}). */
    public String language() {
        return browser.driver.findElement(By.tagName("html")).getAttribute("lang");
    }

    /** The ids of the form's visible fields that have no label. */
    public List<String> unlabelledFields() {
        return browser.driver.findElements(By.cssSelector("#kc-form-login input:not([type=hidden])")).stream()
                .map(input -> input.getAttribute("id"))
                .filter(id -> browser.driver.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty())
                .toList();
    }

    /** Whether the page shows an image loaded from {@code src} (a client name that became markup would). */
    public boolean showsImageFrom(String src) {
        return browser.showsImageFrom(src);
    }

    /** Clicks the realm's identity-provider button with this alias. */
    public void signInWith(String identityProvider) {
        browser.find("social-" + identityProvider).click();
    }

    public void signIn(String username, String password) {
        browser.find("username").sendKeys(username);
        browser.find("password").sendKeys(password);
        browser.find("kc-login").click();
    }

}
