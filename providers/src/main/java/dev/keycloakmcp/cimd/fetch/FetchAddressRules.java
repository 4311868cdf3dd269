package dev.keycloakmcp.cimd.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

import dev.keycloakmcp.core.Refusal;

/**
 * Which addresses Keycloak may connect to when it fetches a metadata document: public unicast only.
 * Checked on every address a name resolves to, so a public name pointing inside is refused too: loopback, private
 * (RFC 1918, RFC 4193), link-local (the 169.254.169.254 metadata service), shared (RFC 6598), unspecified, multicast,
 * documentation and benchmarking ranges. IPv6 forms that carry an IPv4 address are judged by it ({@link #unmapped});
 * Teredo (2001::/32) and local-use NAT64 (64:ff9b:1::/48) are refused. The development allowance admits loopback only.
 */
final class FetchAddressRules {

    private FetchAddressRules() {
    }

    /** Refused ({@code invalid_client}) unless {@code address}, which {@code host} resolved to, is a public address. */
    static void requirePublic(String host, InetAddress address, boolean allowLoopback) throws Refusal {
        Optional<String> kind = nonPublicKind(address, allowLoopback);
        if (kind.isPresent()) {
            throw Refusal.invalidClient("the metadata document host " + host + " resolves to " + kind.get());
        }
    }

    /** What kind of address {@code address} is when it is not public, or empty when it is. */
    private static Optional<String> nonPublicKind(InetAddress address, boolean allowLoopback) {
        InetAddress checked = unmapped(address);
        if (checked.isLoopbackAddress()) {
            return allowLoopback ? Optional.empty() : Optional.of("a loopback address");
        }
        if (checked.isAnyLocalAddress()) {
            return Optional.of("an unspecified address");
        }
        if (checked.isLinkLocalAddress()) {
            return Optional.of("a link-local address (cloud metadata services live there)");
        }
        if (checked.isSiteLocalAddress()) {
            return Optional.of("a private address");
        }
        if (checked.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        byte[] bytes = checked.getAddress();
        if (checked instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            int third = bytes[2] & 0xff;
            if (first == 0 || first >= 240) {
                return Optional.of("a reserved address");
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return Optional.of("a shared (carrier-grade NAT) address");
            }
            if ((first == 192 && second == 0 && (third == 0 || third == 2)) || (first == 198 && (second == 18 || second == 19))
                    || (first == 198 && second == 51 && third == 100) || (first == 203 && second == 0 && third == 113)) {
                return Optional.of("a special-purpose address");
            }
        } else if (checked instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if (first == 0x20 && (bytes[1] & 0xff) == 0x01 && bytes[2] == 0 && bytes[3] == 0) {
                return Optional.of("a Teredo tunnel address");
            }
            if (hasNat64Prefix(bytes)) {
                // The local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215) translates to addresses its operator chose.
                return Optional.of("a NAT64 local-use address");
            }
            if ((first & 0xfe) == 0xfc) {
                return Optional.of("a private (unique local) address");
            }
            if (first == 0x20 && (bytes[1] & 0xff) == 0x01 && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8) {
                return Optional.of("a documentation address");
            }
            if (first == 0) {
                return Optional.of("a reserved address");
            }
        }
        return Optional.empty();
    }

    /**
     * An IPv6 address that carries an IPv4 address a gateway would reach — IPv4-mapped ({@code ::ffff:a.b.c.d}),
     * NAT64 ({@code 64:ff9b::a.b.c.d}), 6to4 ({@code 2002:aabb:ccdd::}) — is judged as that IPv4 address.
     */
    static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        if (isMapped(bytes) || isNat64(bytes)) {
            return ipv4(bytes[12], bytes[13], bytes[14], bytes[15]);
        }
        if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
            return ipv4(bytes[2], bytes[3], bytes[4], bytes[5]);
        }
        return address;
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("Four bytes are always an IPv4 address", e);
        }
    }

    /** The well-known NAT64 prefix 64:ff9b::/96 (RFC 6052), which carries the IPv4 address in its last 32 bits. */
    private static boolean isNat64(byte[] bytes) {
        if (!hasNat64Prefix(bytes)) {
            return false;
        }
        for (int i = 4; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNat64Prefix(byte[] bytes) {
        return bytes[0] == 0 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b;
    }

    private static boolean isMapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
