package dev.keycloakmcp.cimd.fetch;

import static dev.keycloakmcp.core.RefusalAssertions.refusalOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FetchAddressRulesTest {

    @ParameterizedTest(name = "[{index}] {0} loopback allowed={1}")
    @CsvSource({
            "93.184.216.34, false, true",
            "2606:4700:4700::1111, false, true",
            "127.0.0.1, false, false",
            "127.0.0.1, true, true",
            "::1, false, false",
            "::1, true, true",
            "10.1.2.3, true, false",
            "172.16.0.1, false, false",
            "172.31.255.255, false, false",
            "172.32.0.1, false, true",
            "192.168.1.1, false, false",
            "169.254.169.254, true, false",
            "fe80::1, false, false",
            "fd00:ec2::254, false, false",
            "fc00::1, false, false",
            "0.0.0.0, true, false",
            "::, false, false",
            "100.64.0.1, false, false",
            "100.128.0.1, false, true",
            "224.0.0.1, false, false",
            "240.0.0.1, false, false",
            "192.0.2.10, false, false",
            "198.18.0.1, false, false",
            "2001:db8::1, false, false",
            "::ffff:169.254.169.254, false, false",
            "::ffff:10.0.0.1, false, false",
            "::ffff:8.8.8.8, false, true",
            "64:ff9b::a9fe:a9fe, false, false",
            "64:ff9b::10.0.0.1, false, false",
            "64:ff9b:1::a00:1, false, false",
            "64:ff9b::8.8.8.8, false, true",
            "2002:a9fe:a9fe::1, false, false",
            "2002:c0a8:0101::1, false, false",
            "2002:0808:0808::1, false, true",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, false, false",
            "::10.0.0.1, false, false",
            "fec0::1, false, false",
            "ff02::1, false, false",
    })
    void onlyPublicUnicastAddressesMayBeFetchedFrom(String address, boolean allowLoopback, boolean allowed) throws Exception {
        InetAddress resolved = InetAddress.getByName(address);
        assertEquals(allowed, refusalOf(() -> FetchAddressRules.requirePublic("host", resolved, allowLoopback)) == null, address);
    }
}
