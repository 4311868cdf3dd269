package dev.keycloakmcp.cimd;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.keycloakmcp.cimd.fetch.DocumentFetcher;
import dev.keycloakmcp.core.Refusal;

/**
 * The admin's allow-list and deny-list of document hosts.
 * An entry names a domain and covers its subdomains ({@code claude.ai} covers {@code www.claude.ai}, not
 * {@code evilclaude.ai}); a leading {@code *.} or {@code .} means the same. The deny-list wins; an empty allow-list
 * allows every host the fetch rules allow.
 */
record DomainRules(List<String> allowed, List<String> denied) implements DocumentFetcher.AcceptedHosts {

    DomainRules {
        allowed = normalised(allowed);
        denied = normalised(denied);
    }

    /** Refused ({@code invalid_client}) when documents from {@code host} are not accepted. */
    @Override
    public void requireAccepted(String host) throws Refusal {
        // "claude.ai." is claude.ai: the trailing dot must not slip past the lists.
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
        if (denied.stream().anyMatch(domain -> covers(domain, name))) {
            throw Refusal.invalidClient("documents from " + name + " are not accepted in this realm");
        }
        if (!allowed.isEmpty() && allowed.stream().noneMatch(domain -> covers(domain, name))) {
            throw Refusal.invalidClient(name + " is not among the domains this realm accepts documents from");
        }
    }

    static boolean covers(String domain, String host) {
        return host.equals(domain) || host.endsWith("." + domain);
    }

    /** An entry as the lists use it: lower case, without a leading {@code *.} or {@code .} or trailing dots. */
    static String normalised(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
        return d.startsWith("*.") ? d.substring(2) : d.startsWith(".") ? d.substring(1) : d;
    }

    private static List<String> normalised(List<String> domains) {
        if (domains == null) {
            return List.of();
        }
        return domains.stream().filter(Objects::nonNull).map(DomainRules::normalised).filter(d -> !d.isEmpty()).toList();
    }
}
