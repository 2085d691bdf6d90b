package dev.abo.registry;

import java.util.regex.Pattern;

/** Model names: 1-64 of {@code [a-z0-9-]}, so they are safe in URLs, record keys and file names. */
public final class ModelName {

    private static final Pattern VALID = Pattern.compile("[a-z0-9-]{1,64}");

    private ModelName() {
    }

    /** @throws ApiException 400 {@code invalid_model_name} */
    public static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_model_name",
                    "model name '" + printable(name) + "' must match [a-z0-9-]{1,64}");
        }
        return name;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
