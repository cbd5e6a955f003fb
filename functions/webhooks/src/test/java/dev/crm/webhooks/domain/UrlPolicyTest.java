package dev.crm.webhooks.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UrlPolicyTest {
    /** A resolver that answers from a table: what a DNS name resolves to is the test's choice. */
    static AddressResolver table(Map<String, String> names) {
        return host -> {
            String a = names.get(host);
            if (a == null) {
                return List.of(InetAddress.getByName(host)); // literals only: no DNS for names
            }
            return List.of(InetAddress.getByName(a));
        };
    }

    private final UrlPolicy strict = new UrlPolicy(table(Map.of("hooks.example.com", "93.184.216.34")), false);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "100.64.0.1", "169.254.169.254", "169.254.1.1", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9",
            "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1",
            "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1",
            "2001:db8::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "fec0::1"})
    void everyRefusedRangeIsRefusedWhateverNameLeadsThere(String address) {
        assertFalse(UrlPolicy.isPublic(UrlPolicy.literal(address)), address);
        UrlPolicy viaName = new UrlPolicy(table(Map.of("rebind.example.com", address)), false);
        var verdict = viaName.check("https://rebind.example.com/hook");
        assertFalse(verdict.allowed(), address);
        assertEquals("the host resolves to an address that is not public", verdict.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
            "172.15.0.1", "172.32.0.1", "100.128.0.1", "192.169.0.1"})
    void publicAddressesPass(String address) {
        assertTrue(UrlPolicy.isPublic(UrlPolicy.literal(address)), address);
    }

    @Test
    void httpsToAPublicHostIsAllowedAndTheCheckedAddressesAreKept() {
        var v = strict.check("https://hooks.example.com/crm?x=1");
        assertTrue(v.allowed(), v.reason());
        assertEquals(List.of(UrlPolicy.literal("93.184.216.34")), v.addresses());
    }

    @Test
    void otherSchemesCredentialsAndUnresolvableHostsAreRefused() {
        assertEquals("the URL must use https", strict.check("http://hooks.example.com/").reason());
        assertEquals("the URL must use https", strict.check("ftp://hooks.example.com/").reason());
        assertEquals("the URL must not carry credentials", strict.check("https://u:p@hooks.example.com/").reason());
        assertEquals("the URL is not valid", strict.check("https://hooks example.com/").reason());
        AddressResolver none = host -> {
            throw new UnknownHostException(host);
        };
        assertEquals("the host does not resolve", new UrlPolicy(none, false).check("https://nowhere.invalid/").reason());
        assertFalse(strict.check("https://" + "a".repeat(2100) + ".com/").allowed());
    }

    @Test
    void theLocalSettingAllowsLoopbackOverHttpButNothingElse() {
        UrlPolicy local = new UrlPolicy(table(Map.of("localhost", "127.0.0.1", "inside", "10.0.0.5")), true);
        assertTrue(local.check("http://127.0.0.1:8080/hook").allowed());
        assertTrue(local.check("http://[::1]:8080/hook").allowed());
        assertTrue(local.check("http://localhost:8080/hook").allowed());
        assertFalse(local.check("http://127.0.0.2:8080/hook").allowed(), "127.0.0.1 and ::1 only");
        assertFalse(local.check("http://inside/hook").allowed());
        assertFalse(local.check("http://169.254.169.254/latest/meta-data").allowed());
        assertFalse(local.check("http://93.184.216.34/hook").allowed(), "plain http only to loopback");
        assertFalse(strict.check("http://127.0.0.1:8080/hook").allowed(), "off by default");
        assertFalse(strict.check("https://127.0.0.1:8080/hook").allowed(), "off by default");
    }
}
