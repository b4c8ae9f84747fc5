package org.isolatedpg.core.internal.script;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The roles that an ownership or privilege statement of a dump names, the ones {@code pg_restore --no-owner
 * --no-privileges} would leave out:
 *
 * <ul>
 *   <li>{@code ALTER … OWNER TO r} (a statement with nothing else in it);
 *   <li>{@code GRANT … TO r, …} and {@code REVOKE … FROM r, …}, with {@code GRANTED BY r};
 *   <li>{@code ALTER DEFAULT PRIVILEGES FOR ROLE r, … [IN SCHEMA …] GRANT|REVOKE …}.
 * </ul>
 *
 * Names are as PostgreSQL reads them: a quoted identifier as written, any other folded to lower case. {@code PUBLIC},
 * {@code CURRENT_USER}, {@code SESSION_USER} and {@code CURRENT_ROLE} are no role names.
 */
final class RoleReferences {

    private static final Set<String> NOT_ROLES = Set.of("public", "current_user", "session_user", "current_role");
    private static final Set<String> LIST_ENDS = Set.of("with", "granted", "cascade", "restrict");

    private RoleReferences() {}

    /** The roles the statement names, in the order it names them; empty for any other kind of statement. */
    static Set<String> in(String sql) {
        List<Token> tokens = Token.split(sql);
        Set<String> roles = new LinkedHashSet<>();
        if (tokens.isEmpty()) {
            return roles;
        }
        if (isWord(tokens, 0, "alter") && isWord(tokens, 1, "default") && isWord(tokens, 2, "privileges")) {
            int grant = firstWord(tokens, 3, "grant", "revoke");
            if (grant > 0) {
                for (int i = 3; i < grant; i++) {
                    if ((isWord(tokens, i, "role") || isWord(tokens, i, "user")) && isWord(tokens, i - 1, "for")) {
                        roleList(tokens, i + 1, roles);
                    }
                }
                grantees(tokens, grant, roles);
            }
        } else if (isWord(tokens, 0, "alter")) {
            int n = tokens.size();
            if (n >= 4 && isWord(tokens, n - 3, "owner") && isWord(tokens, n - 2, "to") && !hasTopLevelComma(tokens)) {
                roleList(tokens, n - 1, roles);
            }
        } else if (isWord(tokens, 0, "grant") || isWord(tokens, 0, "revoke")) {
            grantees(tokens, 0, roles);
        }
        return roles;
    }

    /** The grantees of the {@code GRANT … TO} or {@code REVOKE … FROM} starting at {@code at}, and its grantor. */
    private static void grantees(List<Token> tokens, int at, Set<String> roles) {
        String keyword = isWord(tokens, at, "grant") ? "to" : "from";
        int list = firstWord(tokens, at + 1, keyword);
        if (list < 0) {
            return;
        }
        int end = roleList(tokens, list + 1, roles);
        for (int i = end; i + 1 < tokens.size(); i++) {
            if (isWord(tokens, i, "granted") && isWord(tokens, i + 1, "by")) {
                roleList(tokens, i + 2, roles);
            }
        }
    }

    /** Adds the roles of the list at {@code from} ({@code r, GROUP g, PUBLIC}); returns where the list ends. */
    private static int roleList(List<Token> tokens, int from, Set<String> roles) {
        int i = from;
        while (i < tokens.size()) {
            if (isWord(tokens, i, "group")
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).isName()) {
                i++;
            }
            Token token = tokens.get(i);
            if (!token.isName() || (token.isWord() && LIST_ENDS.contains(token.text()))) {
                return i;
            }
            if (!(token.isWord() && NOT_ROLES.contains(token.text()))) {
                roles.add(token.text());
            }
            i++;
            if (!isOther(tokens, i, ",")) {
                return i;
            }
            i++;
        }
        return i;
    }

    private static int firstWord(List<Token> tokens, int from, String... words) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            depth += isOther(tokens, i, "(") ? 1 : isOther(tokens, i, ")") ? -1 : 0;
            if (depth == 0 && token.isWord() && List.of(words).contains(token.text())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasTopLevelComma(List<Token> tokens) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            depth += isOther(tokens, i, "(") ? 1 : isOther(tokens, i, ")") ? -1 : 0;
            if (depth == 0 && isOther(tokens, i, ",")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOther(List<Token> tokens, int at, String character) {
        return at < tokens.size()
                && !tokens.get(at).isName()
                && tokens.get(at).text().equals(character);
    }

    private static boolean isWord(List<Token> tokens, int at, String word) {
        return at >= 0
                && at < tokens.size()
                && tokens.get(at).isWord()
                && tokens.get(at).text().equals(word);
    }

    /**
     * A token of a statement: a word (an unquoted identifier or keyword, lower case), a quoted identifier (its name),
     * or one other character; string literals and comments are dropped.
     */
    private record Token(String text, Kind kind) {

        enum Kind {
            WORD,
            QUOTED,
            OTHER
        }

        boolean isWord() {
            return kind == Kind.WORD;
        }

        boolean isName() {
            return kind != Kind.OTHER;
        }

        static List<Token> split(String sql) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < sql.length()) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (sql.startsWith("--", i)) {
                    int eol = sql.indexOf('\n', i);
                    i = eol < 0 ? sql.length() : eol;
                } else if (sql.startsWith("/*", i)) {
                    int close = sql.indexOf("*/", i + 2);
                    i = close < 0 ? sql.length() : close + 2;
                } else if (c == '"') {
                    StringBuilder name = new StringBuilder();
                    i++;
                    while (i < sql.length() && (sql.charAt(i) != '"' || sql.startsWith("\"\"", i))) {
                        name.append(sql.charAt(i));
                        i += sql.startsWith("\"\"", i) ? 2 : 1;
                    }
                    tokens.add(new Token(name.toString(), Kind.QUOTED));
                    i++;
                } else if (c == '\'') {
                    int close = i + 1;
                    while (close < sql.length() && (sql.charAt(close) != '\'' || sql.startsWith("''", close))) {
                        close += sql.startsWith("''", close) ? 2 : 1;
                    }
                    i = close + 1;
                } else if (Character.isLetter(c) || c == '_' || c >= 0x80) {
                    int end = i + 1;
                    while (end < sql.length() && isWordPart(sql.charAt(end))) {
                        end++;
                    }
                    tokens.add(new Token(foldAscii(sql.substring(i, end)), Kind.WORD));
                    i = end;
                } else {
                    tokens.add(new Token(String.valueOf(c), Kind.OTHER));
                    i++;
                }
            }
            return tokens;
        }

        private static boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
        }

        /** PostgreSQL folds only ASCII letters of an unquoted identifier in UTF-8 databases. */
        private static String foldAscii(String word) {
            StringBuilder folded = new StringBuilder(word.length());
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
            return folded.toString();
        }
    }
}
