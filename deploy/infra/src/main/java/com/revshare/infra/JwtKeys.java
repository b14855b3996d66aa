package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The RSA key pair that signs revshare's RS256 tokens (SPEC §8): kept as {@code private.pem}
 * (PKCS#8) and {@code public.pem} in a directory and reused when present.
 */
public final class JwtKeys {
    public static final String ISSUER = "revshare";
    private static final ObjectMapper JSON = new ObjectMapper();

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
                Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
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
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", groups);
        if (partnerId != null) {
            claims.put("partner_id", partnerId);
        }
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String header = b64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String payload = b64(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64(signature.sign());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
            Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tokens));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
