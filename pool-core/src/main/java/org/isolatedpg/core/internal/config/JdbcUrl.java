package org.isolatedpg.core.internal.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL JDBC URL taken apart, and the printable form of any URL.
 *
 * <p>The credentials in its query ({@code user}, {@code password}) become connection properties and are left out of
 * every URL built from it, as is {@code ApplicationName} (isolated-postgres names its own connections: leak reports
 * and the janitor tell them apart by it, and the driver lets a URL's parameters override the properties). All other
 * parameters ({@code sslmode}, {@code connectTimeout}, …) stay, as written. Values are URL-decoded as the driver
 * decodes them.
 */
public final class JdbcUrl {

    private static final Pattern FORM =
            Pattern.compile("jdbc:postgresql://([^/:?,@]+)(?::(\\d{1,5}))?/([^?]*)(?:\\?(.*))?");
    /** {@code //user:secret@}: the driver does not read it, but a URL holding it must not print it either. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?@:]*:)[^/?@]*@");

    private static final Pattern PARAMETER = Pattern.compile("([?&])([^?&=]*)=([^&]*)");

    private final String host;
    private final int port;
    private final String database;
    private final List<String> parameters;
    private final String user;
    private final String password;

    private JdbcUrl(String host, int port, String database, List<String> parameters, String user, String password) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.parameters = List.copyOf(parameters);
        this.user = user;
        this.password = password;
    }

    /**
     * Parses {@code jdbc:postgresql://host[:port]/[database][?parameters]}.
     *
     * @throws IllegalArgumentException if the URL has another form; the message never quotes the URL
     */
    public static JdbcUrl parse(String url) {
        Matcher matcher = FORM.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not of the form jdbc:postgresql://host:port/database with one host");
        }
        List<String> kept = new ArrayList<>();
        String user = null;
        String password = null;
        for (String pair : query(url)) {
            String name = name(pair);
            switch (name) {
                case "user" -> user = value(pair);
                case "password" -> password = value(pair);
                case "ApplicationName" -> {
                    // ours to set
                }
                default -> kept.add(pair);
            }
        }
        return new JdbcUrl(
                matcher.group(1),
                matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2)),
                matcher.group(3).isEmpty() ? "postgres" : matcher.group(3),
                kept,
                user,
                password);
    }

    /**
     * The decoded value of a query parameter of any JDBC URL, if it has one.
     *
     * @throws IllegalArgumentException if the value is not correctly URL-encoded; the message never quotes it
     */
    public static Optional<String> parameter(String url, String name) {
        return query(url).stream()
                .filter(pair -> name(pair).equals(name))
                .reduce((first, last) -> last) // the driver takes the last one
                .map(JdbcUrl::value);
    }

    /** Any URL with the values of secret-looking parameters, and a password before {@code @}, masked. */
    public static String redact(String url) {
        String redacted = USER_INFO.matcher(url).replaceAll("$1" + Secrets.MASK + "@");
        Matcher matcher = PARAMETER.matcher(redacted);
        StringBuilder printable = new StringBuilder();
        while (matcher.find()) {
            String replacement = Secrets.looksSecret(matcher.group(2))
                    ? matcher.group(1) + matcher.group(2) + "=" + Secrets.MASK
                    : matcher.group();
            matcher.appendReplacement(printable, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(printable);
        return printable.toString();
    }

    /** The URL of {@code database} on this server, with the parameters but without credentials. */
    public String withDatabase(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The database the URL names; {@code postgres} when it names none. */
    public String database() {
        return database;
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Printable: the URL without credentials. */
    @Override
    public String toString() {
        return withDatabase(database);
    }

    private static List<String> query(String url) {
        int start = url.indexOf('?');
        if (start < 0) {
            return List.of();
        }
        return List.of(url.substring(start + 1).split("&")).stream()
                .filter(pair -> !pair.isEmpty())
                .toList();
    }

    private static String name(String pair) {
        int equals = pair.indexOf('=');
        return equals < 0 ? pair : pair.substring(0, equals);
    }

    private static String value(String pair) {
        int equals = pair.indexOf('=');
        if (equals < 0) {
            return "";
        }
        try {
            return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // not attached: the decoder's message quotes the value
            throw new IllegalArgumentException(
                    "the value of parameter " + name(pair) + " is not URL-encoded correctly");
        }
    }
}
