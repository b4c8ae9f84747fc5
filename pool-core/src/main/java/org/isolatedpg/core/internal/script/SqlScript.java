package org.isolatedpg.core.internal.script;

import java.nio.CharBuffer;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * Splits a SQL script's text into what psql would send to the server one at a time: statements, {@code COPY … FROM
 * stdin} with the data lines after it, and backslash meta-commands, each with the line it starts on.
 *
 * <p>A {@code ;} ends a statement unless it is inside a single-quoted string (standard, or {@code E'…'} with backslash
 * escapes; {@code standard_conforming_strings} is taken as on, as every pg_dump since 9.1 sets it), a double-quoted
 * identifier, a dollar-quoted string ({@code $$}, {@code $tag$}), a {@code --} or nested {@code /* *}{@code /}
 * comment, or the SQL-standard body of a function or procedure ({@code BEGIN ATOMIC … END}). For the last, as psql
 * does, a {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE} statement counts {@code BEGIN}, {@code CASE} (inside a body)
 * and {@code END} outside parentheses. A backslash at the start of a statement begins a meta-command, which runs to the
 * end of its line. Text after the last {@code ;} is a statement too, as psql sends it at the end of the file.
 */
final class SqlScript implements Iterator<SqlScript.Command> {

    /** One thing to run, starting on {@code line} (1-based). */
    sealed interface Command permits Statement, CopyFromStdin, MetaCommand {
        int line();
    }

    /** A statement from its first keyword, without its terminating {@code ;} and the white space before it. */
    record Statement(String sql, int line) implements Command {}

    /**
     * A {@code COPY … FROM stdin} statement and its data: the lines after it up to the line {@code \.} (or the end of
     * the text), with their line ends, without the {@code \.} line.
     */
    record CopyFromStdin(String sql, int line, String text, int dataStart, int dataEnd) implements Command {

        /** The data, without copying it out of the script's text. */
        CharBuffer data() {
            return CharBuffer.wrap(text, dataStart, dataEnd);
        }
    }

    /** A psql meta-command: the backslash, the command and its arguments, up to the end of the line. */
    record MetaCommand(String text, int line) implements Command {}

    private final String text;
    private int pos;
    private int line = 1;

    SqlScript(String text) {
        this.text = text;
    }

    @Override
    public boolean hasNext() {
        skipBlanks();
        return pos < text.length();
    }

    @Override
    public Command next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The script has no more commands");
        }
        int start = pos;
        int startLine = line;
        if (text.charAt(pos) == '\\') {
            int end = endOfLine(pos);
            moveTo(end);
            return new MetaCommand(text.substring(start, end).stripTrailing(), startLine);
        }
        Words words = new Words();
        int end = scanStatement(words);
        String sql = text.substring(start, end).stripTrailing();
        return words.copyFromStdin() ? copyData(sql, startLine) : new Statement(sql, startLine);
    }

    /** Moves past the statement to its {@code ;} (or the end of the text); returns where its text ends. */
    private int scanStatement(Words words) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ';' && !words.inAtomicBody()) {
                int end = pos;
                moveTo(pos + 1);
                return end;
            } else if (c == '\'') {
                moveTo(endOfString(pos, isEscapeString(pos)));
            } else if (c == '"') {
                moveTo(endOfQuoted(pos + 1, '"'));
            } else if (c == '$' && dollarTag(pos) != null) {
                String tag = dollarTag(pos);
                int close = text.indexOf(tag, pos + tag.length());
                moveTo(close < 0 ? text.length() : close + tag.length());
            } else if (startsComment(pos)) {
                moveTo(endOfComment(pos));
            } else if (isWordStart(c) && (pos == 0 || !isWordPart(text.charAt(pos - 1)))) {
                int end = endOfWord(pos);
                words.add(text.substring(pos, end));
                moveTo(end);
            } else {
                if (!Character.isWhitespace(c)) {
                    words.punctuation(c);
                }
                moveTo(pos + 1);
            }
        }
        return text.length();
    }

    /** The data lines after a {@code COPY … FROM stdin;}: from the next line to the line {@code \.}. */
    private Command copyData(String sql, int startLine) {
        moveTo(Math.min(text.length(), endOfLine(pos) + 1));
        int dataStart = pos;
        while (pos < text.length()) {
            int eol = endOfLine(pos);
            int length = eol - pos;
            if (text.startsWith("\\.", pos) && (length == 2 || (length == 3 && text.charAt(pos + 2) == '\r'))) {
                int dataEnd = pos;
                moveTo(Math.min(text.length(), eol + 1));
                return new CopyFromStdin(sql, startLine, text, dataStart, dataEnd);
            }
            moveTo(Math.min(text.length(), eol + 1));
        }
        return new CopyFromStdin(sql, startLine, text, dataStart, text.length());
    }

    /** Skips white space, comments and empty statements ({@code ;}) up to the next command. */
    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == ';') {
                moveTo(pos + 1);
            } else if (startsComment(pos)) {
                moveTo(endOfComment(pos));
            } else {
                return;
            }
        }
    }

    private void moveTo(int to) {
        for (int i = pos; i < to; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        pos = to;
    }

    private int endOfLine(int from) {
        int eol = text.indexOf('\n', from);
        return eol < 0 ? text.length() : eol;
    }

    private boolean startsComment(int at) {
        if (at + 1 >= text.length()) {
            return false;
        }
        char c = text.charAt(at);
        char next = text.charAt(at + 1);
        return (c == '-' && next == '-') || (c == '/' && next == '*');
    }

    /** The end of the {@code --} or (nested) {@code /* *}{@code /} comment at {@code at}. */
    private int endOfComment(int at) {
        if (text.charAt(at) == '-') {
            return endOfLine(at);
        }
        int depth = 0;
        int i = at;
        while (i < text.length()) {
            if (text.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** {@code E'…'}: the quote follows a lone {@code E} (not the end of a longer word). */
    private boolean isEscapeString(int quote) {
        return quote > 0
                && (text.charAt(quote - 1) == 'E' || text.charAt(quote - 1) == 'e')
                && (quote == 1 || !isWordPart(text.charAt(quote - 2)));
    }

    /** The end of the string literal opening at {@code quote}: past its closing quote ({@code ''} is a quote). */
    private int endOfString(int quote, boolean backslashEscapes) {
        int i = quote + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** The end of a quoted identifier whose text starts at {@code from}, where a doubled quote is a quote. */
    private int endOfQuoted(int from, char quote) {
        int i = from;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return text.length();
    }

    /**
     * The dollar-quote tag opening at {@code at} ({@code $$} or {@code $tag$}), or {@code null}: a {@code $} inside a
     * word ({@code a$b}) or before a digit ({@code $1}) opens none.
     */
    private String dollarTag(int at) {
        if (at > 0 && isWordPart(text.charAt(at - 1))) {
            return null;
        }
        int i = at + 1;
        if (i < text.length() && isWordStart(text.charAt(i))) {
            i++;
            while (i < text.length() && isWordPart(text.charAt(i)) && text.charAt(i) != '$') {
                i++;
            }
        }
        return i < text.length() && text.charAt(i) == '$' ? text.substring(at, i + 1) : null;
    }

    private int endOfWord(int from) {
        int i = from + 1;
        while (i < text.length() && isWordPart(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || Character.isDigit(c) || c == '$';
    }

    /** What the words of one statement say about where it ends and what follows it. */
    private static final class Words {

        private final String[] leading = new String[4];
        private int count;
        private String previous = "";
        private int parentheses;
        private int atomicDepth;
        private boolean fromStdin;

        void add(String word) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (count < leading.length) {
                leading[count] = lower;
            }
            count++;
            if (parentheses == 0 && isRoutine()) {
                if (lower.equals("begin")) {
                    atomicDepth++;
                } else if (lower.equals("case") && atomicDepth > 0) {
                    atomicDepth++;
                } else if (lower.equals("end") && atomicDepth > 0) {
                    atomicDepth--;
                }
            }
            fromStdin |= "copy".equals(leading[0]) && previous.equals("from") && lower.equals("stdin");
            previous = lower;
        }

        void punctuation(char c) {
            if (c == '(') {
                parentheses++;
            } else if (c == ')') {
                parentheses--;
            }
            previous = "";
        }

        boolean inAtomicBody() {
            return atomicDepth > 0;
        }

        boolean copyFromStdin() {
            return fromStdin;
        }

        /** {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}: only these have a body that {@code ;} does not end. */
        private boolean isRoutine() {
            if (count < 3 || !"create".equals(leading[0])) {
                return false;
            }
            return isFunctionOrProcedure(leading[1])
                    || ("or".equals(leading[1]) && "replace".equals(leading[2]) && isFunctionOrProcedure(leading[3]));
        }

        private static boolean isFunctionOrProcedure(String word) {
            return "function".equals(word) || "procedure".equals(word);
        }
    }
}
