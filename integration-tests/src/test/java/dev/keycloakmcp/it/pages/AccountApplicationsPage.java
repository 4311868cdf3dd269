package dev.keycloakmcp.it.pages;

import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Keycloak's Account Console, Applications, in a real browser, signed in as the user. */
public final class AccountApplicationsPage {

    private final Browser browser;

    public AccountApplicationsPage(Browser browser, String baseUrl, String username) {
        this.browser = browser;
        browser.open(baseUrl + "/realms/mcp/account/applications");
        new BrowserSignInPage(browser).signIn(username, username);
    }

    /**
     * Opens the details of the application named {@code name} and waits for them to show {@code expected}; the text
     * of its entry (a list item, or an expandable table's row group).
     */
    public String details(String name, String expected) {
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
        WebElement label = wait.until(d -> d.findElement(By.xpath("//*[normalize-space(text())='" + name + "']")));
        WebElement entry = label.findElement(By.xpath("ancestor::*[self::li or self::tbody][1]"));
        entry.findElement(By.tagName("button")).click();
        try {
            wait.until(d -> entry.getText().contains(expected));
        } catch (org.openqa.selenium.TimeoutException e) {
            // Answered by the caller's assertion, with what the entry shows.
        }
        return entry.getText();
    }
}
