package dev.crm.webhooks.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution behind a port: the URL policy checks the addresses a name resolves to, and the
 * sender connects to exactly those (Java 17 has no resolver SPI a test could replace).
 */
public interface AddressResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system resolver. */
    static AddressResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
