package dk.sf1820.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class BrowserRequestGuardTest {

    final BrowserRequestGuard onLoopback = new BrowserRequestGuard(true, List.of("Tunnel.Example"));
    final BrowserRequestGuard onTheNetwork = new BrowserRequestGuard(false, List.of());

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:8820, true",
        "localhost:8820, true",
        "LOCALHOST, true",
        "console.localhost:8820, true",
        "127.9.8.7, true",
        "'[::1]:8820', true",
        "tunnel.example:8820, true",
        "evil.example:8820, false",
        "127.0.0.1.evil.example:8820, false",
        "localhost.evil.example, false",
        "10.0.0.1:8820, false",
        "'[::ffff:7f00:1]:8820', false",
        "'', false"
    })
    void onLoopbackOnlyRequestsAddressedToALoopbackNameOrAnAllowedHostPass(String host, boolean passes)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/transfers");
        request.removeHeader("Host");
        if (!host.isEmpty()) {
            request.addHeader("Host", host);
        }

        MockHttpServletResponse response = filter(onLoopback, request);

        assertThat(response.getStatus()).isEqualTo(passes ? 200 : 403);
        if (!passes) {
            assertThat(response.getContentAsString())
                    .contains("no name of this server")
                    .contains("DNS rebinding");
        }
    }

    @Test
    void boundToTheNetworkAnyHostIsAnswered() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/transfers");
        request.addHeader("Host", "sf1820.kommune.example");

        assertThat(filter(onTheNetwork, request).getStatus()).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource({
        // a script: no Origin, no Sec-Fetch-Site
        "POST, , , 200",
        // the console's own page
        "POST, http://127.0.0.1:8820, same-origin, 200",
        "POST, http://127.0.0.1:8820, , 200",
        // a page of another site, in a browser that sends Sec-Fetch-Site and in one that does not
        "POST, https://evil.example, cross-site, 403",
        "POST, https://evil.example, , 403",
        // another local web application (same site, other port)
        "POST, http://127.0.0.1:3000, same-site, 403",
        "POST, http://127.0.0.1:3000, , 403",
        // a sandboxed frame or a file:// page
        "POST, null, , 403",
        "DELETE, https://evil.example, , 403",
        // reading stays allowed: without CORS the page cannot read the answer
        "GET, https://evil.example, cross-site, 200"
    })
    void changesFromAnotherSitesPageAreRefused(String method, String origin, String site, int status) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/extracts");
        request.addHeader("Host", "127.0.0.1:8820");
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        if (site != null) {
            request.addHeader("Sec-Fetch-Site", site);
        }

        MockHttpServletResponse response = filter(onLoopback, request);

        assertThat(response.getStatus()).isEqualTo(status);
        if (status == 403) {
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getContentAsString()).contains("a web page of");
        }
    }

    private static MockHttpServletResponse filter(BrowserRequestGuard guard, MockHttpServletRequest request)
            throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        guard.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
