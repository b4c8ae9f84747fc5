package org.isolatedpg.server.internal.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Optional;

/** JSON in and out, through Gson, which stays in this package. */
public final class Json {

    private static final Gson GSON =
            new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private Json() {}

    /** {@code value} (maps, lists, strings, numbers, booleans, records) as JSON text. */
    public static String write(Object value) {
        return GSON.toJson(value);
    }

    /**
     * Any JSON value: objects as maps, arrays as lists, numbers as doubles.
     *
     * @throws IllegalArgumentException when {@code text} is not JSON
     */
    public static Object parse(String text) {
        try {
            return GSON.fromJson(text, Object.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A JSON object as a map (nested objects as maps, arrays as lists, numbers as doubles).
     *
     * @throws IllegalArgumentException when {@code text} is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> object(String text) {
        if (parse(text) instanceof java.util.Map<?, ?> map) {
            return (java.util.Map<String, Object>) map;
        }
        throw new IllegalArgumentException("not a JSON object: " + text);
    }

    /**
     * The string member {@code name} of the JSON object {@code text}; empty when the member is missing, null or not a
     * string.
     *
     * @throws IllegalArgumentException when {@code text} is not a JSON object
     */
    public static Optional<String> stringMember(String text, String name) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage(), e);
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        JsonObject object = parsed.getAsJsonObject();
        JsonElement member = object.get(name);
        if (member == null
                || !member.isJsonPrimitive()
                || !member.getAsJsonPrimitive().isString()) {
            return Optional.empty();
        }
        return Optional.of(member.getAsString());
    }
}
