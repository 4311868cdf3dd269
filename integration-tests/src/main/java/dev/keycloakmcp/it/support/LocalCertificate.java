package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A key pair and self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made for one run with the JDK's
 * keytool: as PEM files (what nginx and Keycloak's {@code --https-certificate-*} options read), as a PKCS12 key store,
 * and as a PKCS12 trust store (what a JVM's {@code javax.net.ssl.trustStore} reads). Test-only: valid for two days.
 */
public final class LocalCertificate {

    private static final String PASSWORD = "test-only";

    private final Path keyStore;
    private final Path certificatePem;
    private final Path keyPem;
    private final Path trustStore;

    private LocalCertificate(Path keyStore, Path certificatePem, Path keyPem, Path trustStore) {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
        this.trustStore = trustStore;
    }

    /** Makes a new key pair named {@code name} in {@code dir} (replacing an earlier one of that name). */
    public static LocalCertificate create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve(name + ".p12");
        Files.deleteIfExists(keyStore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        run(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        try {
            KeyStore keys = load(keyStore);
            Certificate certificate = keys.getCertificate(name);
            Path certificatePem = dir.resolve(name + ".pem");
            Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
            Path keyPem = dir.resolve(name + "-key.pem");
            Files.writeString(keyPem, pem("PRIVATE KEY", keys.getKey(name, PASSWORD.toCharArray()).getEncoded()));
            Path trustStore = dir.resolve(name + "-truststore.p12");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(name, certificate);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, PASSWORD.toCharArray());
            }
            return new LocalCertificate(keyStore, certificatePem, keyPem, trustStore);
        } catch (GeneralSecurityException e) {
            throw new IOException("Could not read the key pair keytool made in " + keyStore, e);
        }
    }

    public Path certificatePem() {
        return certificatePem;
    }

    public Path keyPem() {
        return keyPem;
    }

    /** JVM options that make a Java process trust this certificate (and only it), e.g. the sample MCP server. */
    public List<String> trustStoreOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** A server-side TLS context presenting this certificate. */
    public SSLContext serverContext() throws IOException {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(load(keyStore), PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("Could not set up TLS with " + keyStore, e);
        }
    }

    /**
     * Makes this JVM's default TLS context trust this certificate on top of the JDK's own CAs, as a machine whose
     * operator installed the company CA would: every {@code HttpClient} built afterwards (the tests' user agents, the
     * admin API) then reaches the stack's https URLs with host name verification on.
     */
    public void trustInThisJvm() throws IOException {
        try {
            X509TrustManager jdk = trustManager(null);
            X509TrustManager ours = trustManager(load(trustStore));
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new EitherTrustManager(jdk, ours)}, null);
            SSLContext.setDefault(tls);
        } catch (GeneralSecurityException e) {
            throw new IOException("Could not trust " + certificatePem, e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("No X.509 trust manager");
    }

    /** Trusts a chain either trust manager trusts. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        return keys;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", command) + "\n" + output);
        }
    }
}
