package dev.bluepost.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every message bundle (English in its interface) has a Spanish file with exactly the same keys, no
 * empty text, and only the parameters its method takes: a page, e-mail or automatic reply never falls
 * back to English for a Spanish reader because someone forgot a key.
 */
class TranslationCompletenessTest {

    private static final List<String> TRANSLATIONS = List.of("es");
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_]*)[^}]*}");

    @Test
    void everyBundleIsCompleteInEveryLanguage() throws Exception {
        List<Class<?>> bundles = bundles();
        assertThat(bundles).as("message bundles of the application").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Class<?> bundle : bundles) {
            String name = bundle.getAnnotation(MessageBundle.class).value();
            Set<String> keys = new TreeSet<>();
            for (Method method : bundle.getDeclaredMethods()) {
                keys.add(key(method));
            }
            for (String language : TRANSLATIONS) {
                String file = "messages/" + name + "_" + language + ".properties";
                Properties texts = load(file);
                if (texts == null) {
                    problems.add(file + " is missing (" + bundle.getSimpleName() + ")");
                    continue;
                }
                Set<String> missing = new TreeSet<>(keys);
                missing.removeAll(texts.stringPropertyNames());
                Set<String> extra = new TreeSet<>(texts.stringPropertyNames());
                extra.removeAll(keys);
                missing.forEach(k -> problems.add(file + ": no text for " + k));
                extra.forEach(
                        k ->
                                problems.add(
                                        file
                                                + ": "
                                                + k
                                                + " is not a message of "
                                                + bundle.getSimpleName()));
                for (Method method : bundle.getDeclaredMethods()) {
                    String text = texts.getProperty(key(method));
                    if (text == null) {
                        continue;
                    }
                    if (text.isBlank()) {
                        problems.add(file + ": " + key(method) + " is empty");
                    }
                    Set<String> parameters =
                            Arrays.stream(method.getParameters())
                                    .map(Parameter::getName)
                                    .collect(Collectors.toSet());
                    Matcher m = PARAMETER.matcher(text);
                    while (m.find()) {
                        String used = m.group(1);
                        if (!parameters.contains(used) && !isQuteKeyword(used)) {
                            problems.add(
                                    file
                                            + ": "
                                            + key(method)
                                            + " uses {"
                                            + used
                                            + "}, which "
                                            + method.getName()
                                            + " does not take");
                        }
                    }
                }
            }
        }
        assertThat(problems).as("translation problems").isEmpty();
    }

    private static boolean isQuteKeyword(String word) {
        return word.equals("if")
                || word.equals("else")
                || word.equals("for")
                || word.equals("each")
                || word.equals("when")
                || word.equals("is")
                || word.equals("case");
    }

    private static String key(Method method) {
        Message message = method.getAnnotation(Message.class);
        if (message != null
                && !Message.DEFAULT_NAME.equals(message.key())
                && !message.key().isEmpty()) {
            return message.key();
        }
        return method.getName();
    }

    private static Properties load(String resource) throws IOException {
        try (InputStream in =
                TranslationCompletenessTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        }
    }

    private static List<Class<?>> bundles() throws ClassNotFoundException {
        List<Class<?>> bundles = new ArrayList<>();
        for (JavaClass c :
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.bluepost")) {
            if (c.isAnnotatedWith(MessageBundle.class)) {
                bundles.add(Class.forName(c.getName()));
            }
        }
        return bundles;
    }
}
