package org.isolatedpg.core.internal.sql;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-256 verifier, as PostgreSQL stores it in {@code pg_authid.rolpassword} (RFC 5802, RFC 7677):
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}. {@code CREATE ROLE … PASSWORD '<verifier>'}
 * stores it as it is, so the password itself never reaches the server, where {@code log_statement} or
 * {@code pg_stat_activity} could show it.
 *
 * <p>One iteration: the passwords this is for are random and 192 bits long, which no number of hash iterations can
 * add to, while each iteration costs every connection CPU (the embedded cluster sets {@code scram_iterations = 1} for
 * the same reason). Computed here, with {@code javax.crypto}, because the driver's own helper may only be used behind
 * its fence. The passwords are Base64url text, which SASLprep leaves as it is.
 */
public final class ScramVerifier {

    private static final int ITERATIONS = 1;
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramVerifier() {}

    /** A random password of 192 bits, as Base64url text. */
    public static String randomPassword() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The verifier of {@code password} with a random salt. */
    public static String of(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return of(password, salt, ITERATIONS);
    }

    static String of(String password, byte[] salt, int iterations) {
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder base64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + base64.encodeToString(salt) + "$"
                    + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java platform has PBKDF2WithHmacSHA256 and HmacSHA256", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }
}
