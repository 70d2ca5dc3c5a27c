package dk.sf1820.app.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps web pages that an operator's browser opens from using the HTTP interface. The browser sends a page's
 * requests to 127.0.0.1 as readily as to its own site, and with the operator's cached credentials:
 * <ul>
 *   <li>A page on any site can POST a multipart form to {@code /extracts} (a "simple" request: no preflight),
 *       which takes no CSRF token because its clients are scripts, and so send DST a file of its choosing.
 *       A request with a method that changes something is refused when the browser says it comes from another
 *       site ({@code Sec-Fetch-Site}) or names another origin ({@code Origin}); clients that are no browser send
 *       neither. (The console's own actions also carry a CSRF token.)
 *   <li>A page whose host name its DNS server re-points at 127.0.0.1 (DNS rebinding) is even same-origin, and
 *       could read {@code /transfers} and fetch the CSRF token. Bound to loopback, the interface answers only
 *       requests addressed to a loopback name ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}) or to a host
 *       in {@code sf1820.console.allowed-hosts}.
 * </ul>
 * The same rules as Go's {@code net/http.CrossOriginProtection} and the rebinding guards of local development
 * servers.
 */
final class BrowserRequestGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BrowserRequestGuard.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final boolean loopbackOnly;
    private final Set<String> allowedHosts;

    /**
     * @param loopbackOnly whether the server listens on a loopback address only: then the Host is checked
     * @param allowedHosts host names besides the loopback ones that requests may be addressed to
     */
    BrowserRequestGuard(boolean loopbackOnly, List<String> allowedHosts) {
        this.loopbackOnly = loopbackOnly;
        this.allowedHosts = allowedHosts.stream()
                .map(host -> host.strip().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = hostName(request.getHeader("Host"));
        if (loopbackOnly && !(loopbackName(host) || allowedHosts.contains(host))) {
            refuse(
                    request,
                    response,
                    "the request is addressed to host '" + shortened(host) + "', which is no name of this server:"
                            + " it listens on loopback only and answers localhost, 127.0.0.1 and [::1] (and the"
                            + " hosts in sf1820.console.allowed-hosts); a web page's request through DNS rebinding"
                            + " looks like this");
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            String site = request.getHeader("Sec-Fetch-Site");
            String origin = request.getHeader("Origin");
            if (site != null && !site.equals("same-origin") && !site.equals("none")) {
                refuse(
                        request,
                        response,
                        "the browser says this " + request.getMethod() + " comes from a web page of another site"
                                + " (Sec-Fetch-Site: " + shortened(site) + "); the HTTP interface takes changes"
                                + " from its own console and from clients that are no browser only");
                return;
            }
            if (site == null && origin != null && !sameHost(origin, request.getHeader("Host"))) {
                refuse(
                        request,
                        response,
                        "this " + request.getMethod() + " comes from a web page of origin '" + shortened(origin)
                                + "', not from this server's console; the HTTP interface takes changes from its own"
                                + " console and from clients that are no browser only");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The host part of a Host header, lower-case, without port or IPv6 brackets; empty when there is none. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** Decided on the name as written: a DNS lookup is what a rebinding attack answers. */
    static boolean loopbackName(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")) {
            return true;
        }
        var ipv4 = IPV4.matcher(host);
        return ipv4.matches() && ipv4.group(1).equals("127");
    }

    /** Whether the Origin's host (and port) is the one the request is addressed to. */
    private static boolean sameHost(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null) {
                return false; // "null": a sandboxed frame, a file:// page, a redirect across origins
            }
            String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
            return authority.equals(hostHeader.strip().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String reason)
            throws IOException {
        log.warn(
                "request refused method={} path={} reason=\"{}\"",
                request.getMethod(),
                shortened(request.getRequestURI()),
                reason);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, reason);
        problem.setInstance(URI.create(request.getRequestURI().replaceAll("[^A-Za-z0-9/._~-]", "_")));
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(problem));
    }

    /** A value from the request as it may be echoed: at most 100 characters, no control characters. */
    private static String shortened(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 100 ? printable : printable.substring(0, 100) + "…";
    }
}
