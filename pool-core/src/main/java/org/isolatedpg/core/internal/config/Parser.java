package org.isolatedpg.core.internal.config;

/** Parses one kind of configuration value and says, for messages, what it accepts. */
public interface Parser<T> {

    /** Parses a value; throws {@link IllegalArgumentException} when it does not fit {@link #acceptedForm()}. */
    T parse(String value);

    /** The accepted form, completing "expected …": {@code "a whole number from 1 to 64"}. */
    String acceptedForm();

    static <T> Parser<T> of(String acceptedForm, java.util.function.Function<String, T> parse) {
        return new Parser<>() {
            @Override
            public T parse(String value) {
                return parse.apply(value);
            }

            @Override
            public String acceptedForm() {
                return acceptedForm;
            }
        };
    }
}
