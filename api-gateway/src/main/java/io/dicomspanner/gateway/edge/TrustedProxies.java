package io.dicomspanner.gateway.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Addresses and networks (CIDR) of trusted proxies; matches IP literals only, never looks a name up. */
public final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Network(byte[] address, int prefixLength) {

        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (address[full] & mask);
        }
    }

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** Parses {@code 10.0.0.5}, {@code 172.28.0.0/16}, {@code ::1}, {@code fd00::/8}. */
    public static TrustedProxies of(List<String> entries) {
        List<Network> networks = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.strip();
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            byte[] address = parse(host)
                    .orElseThrow(() -> new IllegalArgumentException("spanner.edge.trusted-proxies: '" + entry
                            + "' is not an IP address or network (10.0.0.5, 172.28.0.0/16, ::1)"));
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("spanner.edge.trusted-proxies: '" + entry
                            + "' has a prefix length outside 0.." + address.length * 8);
                }
            }
            networks.add(new Network(address, prefix));
        }
        return new TrustedProxies(networks);
    }

    /** Whether {@code address} (an IP literal; anything else is not trusted) is one of the trusted proxies. */
    public boolean trusts(String address) {
        return parse(address)
                .map(a -> networks.stream().anyMatch(n -> n.contains(a)))
                .orElse(false);
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** The bytes of an IP literal (IPv4-mapped IPv6 as IPv4); empty for anything that is no IP literal. */
    static Optional<byte[]> parse(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        String text = literal.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (IPV4.matcher(text).matches()) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // a literal (checked above), so no name is looked up
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
