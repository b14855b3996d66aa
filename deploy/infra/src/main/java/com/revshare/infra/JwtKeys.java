package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * The RSA key pair that signs revshare's RS256 tokens (SPEC §8): kept as {@code private.pem}
 * (PKCS#8) and {@code public.pem} in a directory and reused when present. Tokens are built and signed
 * by SmallRye JWT's builder ({@code io.smallrye:smallrye-jwt-build}, the library the services verify them
 * with), not by hand. The private key and {@code tokens.json} (bearer tokens) are secrets: they are
 * created readable and writable by their owner only ({@code rw-------}, POSIX attributes given at
 * creation, so there is no moment at which another user could read them), and a key file found with
 * wider permissions is narrowed when it is loaded.
 */
public final class JwtKeys {
    public static final String ISSUER = "revshare";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code rw-------}: the permissions of the private key and of {@code tokens.json}. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path directory;
    private final PrivateKey privateKey;

    private JwtKeys(Path directory, PrivateKey privateKey) {
        this.directory = directory;
        this.privateKey = privateKey;
    }

    /** Loads the pair from {@code directory}, generating and writing it first if absent. */
    public static JwtKeys loadOrCreate(Path directory) {
        try {
            Files.createDirectories(directory);
            Path priv = directory.resolve("private.pem");
            Path pub = directory.resolve("public.pem");
            if (!Files.exists(priv) || !Files.exists(pub)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                writeSecret(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
                Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            } else if (isPosix() && !Files.getPosixFilePermissions(priv).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(priv, OWNER_ONLY); // a key pair written by an older version
            }
            String body = Files.readString(priv).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            return new JwtKeys(directory, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key file ({@code private.pem}, PKCS#8, owner-only). */
    public Path privateKeyPath() {
        return directory.resolve("private.pem");
    }

    public Path publicKeyPath() {
        return directory.resolve("public.pem");
    }

    public Path directory() {
        return directory;
    }

    public String admin(Duration ttl) {
        return sign("admin", List.of("admin"), null, ttl);
    }

    public String finance(Duration ttl) {
        return sign("finance", List.of("finance"), null, ttl);
    }

    public String partner(String partnerId, Duration ttl) {
        return sign("partner-" + partnerId, List.of("partner"), partnerId, ttl);
    }

    /** An RS256 JWT with issuer {@value #ISSUER}, the subject, roles in {@code groups} and an optional partner id. */
    public String sign(String subject, List<String> groups, String partnerId, Duration ttl) {
        Instant now = Instant.now();
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER)
                .subject(subject)
                .upn(subject)
                .groups(new LinkedHashSet<>(groups))
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(ttl).getEpochSecond())
                .claim("jti", UUID.randomUUID().toString());
        if (partnerId != null) {
            claims.claim("partner_id", partnerId);
        }
        return claims.jws().algorithm(SignatureAlgorithm.RS256).header("typ", "JWT").sign(privateKey);
    }

    /** Writes {@code tokens.json} beside the keys: admin, finance and one token per partner. */
    public Path writeTokens(List<String> partnerIds, Duration ttl) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("admin", admin(ttl));
        tokens.put("finance", finance(ttl));
        Map<String, String> partners = new LinkedHashMap<>();
        partnerIds.forEach(id -> partners.put(id, partner(id, ttl)));
        tokens.put("partners", partners);
        Path file = directory.resolve("tokens.json");
        try {
            Files.deleteIfExists(file);
            writeSecret(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tokens));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Creates {@code file} readable and writable by its owner only, then writes {@code content} into it. */
    private static void writeSecret(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        if (isPosix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.write(file, content);
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
