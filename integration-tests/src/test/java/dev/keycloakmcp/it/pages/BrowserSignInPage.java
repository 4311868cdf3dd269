package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The realm's identity-provider button with this alias. */
    public void signInWith(String identityProvider) {
        browser.find("social-" + identityProvider).click();
    }

    public void signIn(String username, String password) {
        browser.find("username").sendKeys(username);
        browser.find("password").sendKeys(password);
        browser.driver.findElement(By.id("kc-login")).click();
    }
}
