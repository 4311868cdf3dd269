package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The "MCP access" page the pack's admin theme adds to Keycloak's admin console: reached from the console's navigation,
 * as an admin reaches it.
 */
public final class McpAccessConsole {

    private final Browser browser;

    private McpAccessConsole(Browser browser) {
        this.browser = browser;
    }

    /**
     * Signs in to the admin console of {@code consoleRealm}, opens realm {@code realm}'s clients, then clicks the
     * navigation's "MCP access".
     */
    public static McpAccessConsole open(Browser browser, String baseUrl, String consoleRealm, String realm, String username, String password) {
        browser.open(baseUrl + "/admin/" + consoleRealm + "/console/#/" + realm + "/clients");
        BrowserSignInPage signIn = new BrowserSignInPage(browser);
        // The console's script sends the browser to the sign-in page: let it load whole before leaving it.
        browser.waitForLoad();
        signIn.signIn(username, password);
        assertTrue(browser.waitFor("nav-item-mcp-access"), () -> "No MCP access entry in the console's navigation: " + browser.currentUrl());
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d ->
                d.findElement(By.id("nav-item-mcp-access")).getAttribute("href").endsWith("#/" + realm + "/mcp-access"));
        if (!browser.find("nav-item-mcp-access").isDisplayed()) {
            // A narrow window folds the console's navigation behind the masthead's toggle.
            browser.driver.findElement(By.cssSelector(".pf-v5-c-masthead__toggle button")).click();
        }
        browser.find("nav-item-mcp-access").click();
        assertTrue(browser.waitFor("mcp-access-page"), () -> "The MCP access page did not open: " + browser.currentUrl());
        return new McpAccessConsole(browser);
    }

    /** Waits for the list of MCP clients (true) or a message (false). */
    public boolean waitForClients() {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> browser.has("mcp-clients") || !message().isEmpty());
        return browser.has("mcp-clients");
    }

    public List<String> serverNames() {
        return browser.driver.findElements(By.cssSelector("#mcp-servers tbody tr td:first-child")).stream().map(WebElement::getText).toList();
    }

    /** The text of the row of the client with this client id, waiting for it to be listed. */
    public String clientRow(String clientId) {
        assertTrue(waitForRow(clientId), () -> "Not listed: " + clientId + " in " + browser.driver.findElement(By.id(PAGE)).getText());
        return row(clientId).getText();
    }

    public boolean waitForRow(String clientId) {
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d -> !d.findElements(rowOf(clientId)).isEmpty());
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    public boolean waitForNoRow(String clientId) {
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d -> d.findElements(rowOf(clientId)).isEmpty());
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    /** Opens the client's users: each line is user, MCP server, time granted. */
    public List<String> grants(String clientId) {
        action(clientId, "grants").click();
        By lines = By.cssSelector("tr[data-client-id='" + clientId + "'] + tr .mcp-grant");
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d -> !d.findElements(lines).isEmpty()
                    || d.findElement(By.cssSelector("tr[data-client-id='" + clientId + "'] + tr")).getText().contains("HTTP"));
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot("admin-mcp-access-grants-timeout");
            throw new AssertionError("The users of " + clientId + " did not show: " + grantsText(clientId), e);
        }
        return browser.driver.findElements(lines).stream().map(WebElement::getText).toList();
    }

    /** The text next to the client's users once opened (a refusal shows there). */
    public String grantsText(String clientId) {
        return browser.driver.findElement(By.cssSelector("tr[data-client-id='" + clientId + "'] + tr")).getText();
    }

    /** Clicks the action twice (the second click confirms), then waits for the page's message. */
    public String confirm(String clientId, String action) {
        WebElement button = action(clientId, action);
        String before = message();
        button.click();
        button.click();
        return awaitMessage(before);
    }

    public String blockHost(String host) {
        browser.find("mcp-block-host").sendKeys(host);
        String before = message();
        browser.find("mcp-block-host-button").click();
        return awaitMessage(before);
    }

    public List<String> blockedHosts() {
        return browser.driver.findElements(By.cssSelector("#mcp-blocked-hosts tbody tr td:first-child")).stream().map(WebElement::getText)
                .filter(text -> !"None.".equals(text)).toList();
    }

    public String unblockHost(String host) {
        String before = message();
        browser.driver.findElements(By.cssSelector("#mcp-blocked-hosts tbody tr")).stream()
                .filter(row -> row.getText().startsWith(host)).findFirst().orElseThrow()
                .findElement(By.cssSelector("[data-action='unblock-host']")).click();
        return awaitMessage(before);
    }

    public void filterByKind(String kind) {
        new org.openqa.selenium.support.ui.Select(browser.find("mcp-filter-kind")).selectByValue(kind);
        browser.find("mcp-filter-search").click();
    }

    public String message() {
        return browser.has("mcp-access-message") ? browser.text("mcp-access-message") : "";
    }

    /** The page's message once it is no longer {@code before} (read before the click that changes it). */
    private String awaitMessage(String before) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> !message().isEmpty() && !message().equals(before));
        return message();
    }

    private WebElement row(String clientId) {
        return browser.driver.findElement(rowOf(clientId));
    }

    private WebElement action(String clientId, String action) {
        return row(clientId).findElement(By.cssSelector("[data-action='" + action + "']"));
    }

    private static By rowOf(String clientId) {
        return By.cssSelector("tr.mcp-client[data-client-id='" + clientId.replace("'", "\\'") + "']");
    }

    private static final String PAGE = "mcp-access-page";
}
