package dk.sf1820.serviceplatform.ssh;

import java.util.List;
import java.util.Set;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.Signature;

/**
 * The SSH signature algorithms the platform accepts, for its host key signatures and for users'
 * public-key logins: MINA's defaults without those that hash with SHA-1 ({@code ssh-rsa},
 * {@code ssh-dss} and their certificates). SHA-1 signatures can be forged at a feasible cost, and
 * OpenSSH refuses them by default since 8.8; an RSA key still logs in and serves as host key with
 * {@code rsa-sha2-256} and {@code rsa-sha2-512}.
 */
public final class SignatureAlgorithms {

    static final Set<String> SHA1 =
            Set.of("ssh-rsa", "ssh-rsa-cert-v01@openssh.com", "ssh-dss", "ssh-dss-cert-v01@openssh.com");

    private SignatureAlgorithms() {}

    public static List<NamedFactory<Signature>> withoutSha1(List<NamedFactory<Signature>> defaults) {
        return defaults.stream().filter(f -> !SHA1.contains(f.getName())).toList();
    }
}
