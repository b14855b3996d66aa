package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys, tokens and contract checks of the test infrastructure: the secrets are owner-only files, the
 * tokens built with SmallRye JWT verify with the published key, and the contract schemas read numbers exactly.
 */
class SecretsAndExactnessTest {

    @Test
    void privateKeyAndTokensFileAreReadableByTheirOwnerOnly(@TempDir Path dir) throws Exception {
        // given a fresh key directory
        JwtKeys keys = JwtKeys.loadOrCreate(dir);
        // when tokens are written beside the keys
        Path tokens = keys.writeTokens(List.of("aws"), Duration.ofDays(30));
        // then the private key and the tokens are rw------- and the public key is not a secret
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.privateKeyPath())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        assertTrue(Files.isReadable(keys.publicKeyPath()));
    }

    @Test
    void aKeyFileLeftWithWiderPermissionsIsNarrowedWhenLoaded(@TempDir Path dir) throws Exception {
        // given a key pair whose private key a former version left world-readable
        JwtKeys.loadOrCreate(dir);
        Path priv = dir.resolve("private.pem");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
        // when it is loaded again
        JwtKeys reloaded = JwtKeys.loadOrCreate(dir);
        // then it is owner-only again and still signs
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        assertFalse(reloaded.admin(Duration.ofMinutes(1)).isEmpty());
    }

    @Test
    void tokensBuiltBySmallRyeVerifyWithThePublicKeyAndCarryTheSpecClaims(@TempDir Path dir) throws Exception {
        // given a key pair
        JwtKeys keys = JwtKeys.loadOrCreate(dir);
        // when a partner token is signed
        String token = keys.partner("aws", Duration.ofHours(1));
        // then jose4j verifies it with public.pem, RS256, and it carries iss, sub, groups, partner_id, exp
        String pem = Files.readString(keys.publicKeyPath()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey key = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(key);
        assertTrue(jws.verifySignature());
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals("revshare", claims.getIssuer());
        assertEquals("partner-aws", claims.getSubject());
        assertEquals(List.of("partner"), claims.getStringListClaimValue("groups"));
        assertEquals("aws", claims.getStringClaimValue("partner_id"));
        assertEquals(3600, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertFalse(claims.getJwtId().isEmpty());
        // and a token signed with another key does not verify with this one
        JwtKeys other = JwtKeys.loadOrCreate(dir.resolve("other"));
        JsonWebSignature forged = new JsonWebSignature();
        forged.setCompactSerialization(other.admin(Duration.ofHours(1)));
        forged.setKey(key);
        assertFalse(forged.verifySignature());
    }

    @Test
    void contractSchemasJudgeJsonNumbersExactlyNotAsBinaryFloats() {
        // given the largest legal revenue amount, which a double rounds up to 1e18 (out of bounds)
        String largest = event("999999999999999999.99999999");
        // and the smallest amount above the bound, which a double rounds down into bounds
        String tooLarge = event("1000000000000000000.00000001");
        // and an amount with a ninth fraction digit, which a double cannot tell from a multiple of 10^-8
        String nineDigits = event("0.100000001");
        // then each is judged on its exact decimal value
        assertEquals(java.util.Set.of(), ContractSchemas.violations("usage-event.v1.schema.json", largest));
        assertFalse(ContractSchemas.violations("usage-event.v1.schema.json", tooLarge).isEmpty());
        assertFalse(ContractSchemas.violations("usage-event.v1.schema.json", nineDigits).isEmpty());
    }

    private static String event(String amount) {
        return """
                {"specversion":"1.0","id":"e-1","source":"test","type":"revshare.usage.v1",
                 "time":"2026-01-01T00:00:00Z","partnerid":"aws",
                 "data":{"model":"m","metric":"input_tokens","quantity":1,"revenue":{"amount":%s,"currency":"USD"}}}
                """.formatted(amount);
    }
}
