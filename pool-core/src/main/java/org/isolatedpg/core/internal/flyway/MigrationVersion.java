package org.isolatedpg.core.internal.flyway;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * A versioned migration's version, ordered as Flyway orders them: numerically part by part ({@code 1.2 < 1.10}),
 * {@code .} and {@code _} both separating parts, trailing zero parts not counting ({@code 1 = 1.0}).
 */
record MigrationVersion(List<BigInteger> parts) implements Comparable<MigrationVersion> {

    static MigrationVersion parse(String text) {
        List<BigInteger> parts =
                Arrays.stream(text.split("[._]")).map(BigInteger::new).toList();
        int length = parts.size();
        while (length > 1 && parts.get(length - 1).signum() == 0) {
            length--;
        }
        return new MigrationVersion(parts.subList(0, length));
    }

    @Override
    public int compareTo(MigrationVersion other) {
        for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
            BigInteger mine = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
            BigInteger theirs = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
            int order = mine.compareTo(theirs);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
