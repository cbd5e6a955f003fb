package dev.crm.webhooks.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may be sent (server-side request forgery): {@code https} only, to a host whose every
 * address is public. Checked when an endpoint is created or changed, and again before every delivery
 * (a name can resolve elsewhere later); the sender then connects to the addresses checked here.
 *
 * <p>Refused: loopback, unspecified, private (10/8, 172.16/12, 192.168/16), shared (100.64/10),
 * link-local (169.254/16 with the cloud metadata address, fe80::/10), unique-local (fc00::/7 with
 * fd00:ec2::254), multicast, reserved and documentation ranges, and IPv6 forms that embed an IPv4
 * address (mapped, compatible, NAT64, 6to4) when the embedded address is refused.
 */
public final class UrlPolicy {
    /** The outcome: the addresses to connect to, or why not. */
    public record Verdict(boolean allowed, String reason, URI uri, List<InetAddress> addresses) {
        static Verdict refuse(String reason) {
            return new Verdict(false, reason, null, List.of());
        }
    }

    public static final int MAX_URL_LENGTH = 2048;

    private final AddressResolver resolver;
    private final boolean allowLoopback;

    /**
     * @param allowLoopback local runs only ({@code CRM_WEBHOOK_ALLOW_LOOPBACK}): {@code http} and the
     *                      loopback addresses 127.0.0.1 and ::1 are allowed; every other range stays refused
     */
    public UrlPolicy(AddressResolver resolver, boolean allowLoopback) {
        this.resolver = resolver;
        this.allowLoopback = allowLoopback;
    }

    public boolean allowsLoopback() {
        return allowLoopback;
    }

    public Verdict check(String url) {
        if (url == null || url.isBlank()) {
            return Verdict.refuse("the URL is empty");
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Verdict.refuse("the URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Verdict.refuse("the URL is not valid");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowLoopback && scheme.equals("http"))) {
            return Verdict.refuse("the URL must use https");
        }
        if (uri.getRawUserInfo() != null) {
            return Verdict.refuse("the URL must not carry credentials");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Verdict.refuse("the URL has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Verdict.refuse("the host does not resolve");
        }
        if (addresses == null || addresses.isEmpty()) {
            return Verdict.refuse("the host does not resolve");
        }
        boolean allLoopback = true;
        for (InetAddress a : addresses) {
            boolean loopback = allowLoopback && isPermittedLoopback(a);
            allLoopback &= loopback;
            if (!loopback && !isPublic(a)) {
                return Verdict.refuse("the host resolves to an address that is not public");
            }
        }
        if (scheme.equals("http") && !allLoopback) {
            return Verdict.refuse("the URL must use https");
        }
        return new Verdict(true, null, uri, List.copyOf(addresses));
    }

    private static boolean isPermittedLoopback(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
        }
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 1;
    }

    /** Whether a delivery may go to this address. */
    public static boolean isPublic(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (!(a instanceof Inet6Address) || b.length != 16) {
            return false;
        }
        // IPv4 embedded in IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            boolean allZeroOrOne = b[10] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
            if (allZeroOrOne) {
                return false; // :: and ::1
            }
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0x20 && second == 0x02) { // 6to4: 2002:aabb:ccdd::
            return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]});
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            return false; // Teredo 2001::/32: tunnels to addresses this check cannot see
        }
        if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false; // documentation 2001:db8::/32
        }
        if ((first & 0xfe) == 0xfc) {
            return false; // unique-local fc00::/7, fd00:ec2::254 among them
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return false; // link-local fe80::/10
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return false; // site-local fec0::/10 (deprecated)
        }
        if (first == 0xff) {
            return false; // multicast
        }
        // Global unicast is 2000::/3; everything else is reserved.
        return (first & 0xe0) == 0x20;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0 || a0 == 10 || a0 == 127) {
            return false; // "this network", private, loopback
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return false; // shared address space 100.64/10
        }
        if (a0 == 169 && a1 == 254) {
            return false; // link-local, the cloud metadata address 169.254.169.254 among them
        }
        if (a0 == 172 && (a1 & 0xf0) == 16) {
            return false;
        }
        if (a0 == 192 && a1 == 168) {
            return false;
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return false; // IETF protocol assignments, documentation
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return false; // benchmarking
        }
        if (a0 == 198 && a1 == 51 && a2 == 100) {
            return false;
        }
        if (a0 == 203 && a1 == 0 && a2 == 113) {
            return false;
        }
        return a0 < 224; // multicast 224/4, reserved 240/4, broadcast
    }

    /** For tests and messages: an address as text. */
    static String text(InetAddress a) {
        return a.getHostAddress();
    }

    /** Resolves a literal address without DNS (for tests and fixed resolvers). */
    public static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
