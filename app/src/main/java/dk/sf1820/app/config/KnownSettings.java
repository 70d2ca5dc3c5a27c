package dk.sf1820.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Every {@code sf1820.*} setting this installation knows, read from the configuration metadata each
 * module ships ({@code META-INF/spring-configuration-metadata.json}, generated from its
 * {@code @ConfigurationProperties} by spring-boot-configuration-processor, plus the app's additional
 * metadata for keys read with {@code @Value}). The metadata describes a map or list of structured
 * values (fagsystem registry entries, datasets, SFTP accounts) as one property with its type; the
 * value type's own properties are taken from the class.
 */
public final class KnownSettings {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";
    static final String PREFIX = "sf1820";
    private static final int MAX_DEPTH = 6;

    private final List<SettingPattern> patterns;

    KnownSettings(List<SettingPattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    public static KnownSettings fromClasspath(ClassLoader loader) {
        List<SettingPattern> patterns = new ArrayList<>();
        try {
            Enumeration<URL> files = loader.getResources(METADATA);
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                try (InputStream in = file.openStream()) {
                    read(new String(in.readAllBytes(), StandardCharsets.UTF_8), loader, patterns);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration metadata " + METADATA, e);
        }
        return new KnownSettings(patterns);
    }

    @SuppressWarnings("unchecked")
    private static void read(String json, ClassLoader loader, List<SettingPattern> patterns) {
        Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
        if (!(properties instanceof List<?> list)) {
            return;
        }
        for (Object entry : list) {
            Map<String, Object> property = (Map<String, Object>) entry;
            String name = (String) property.get("name");
            if (name == null || !name.startsWith(PREFIX + ".")) {
                continue;
            }
            SettingPattern base = new SettingPattern(List.of());
            for (String element : name.split("\\.")) {
                base = base.with(SettingPattern.Element.literal(element));
            }
            expand(base, TypeRef.parse((String) property.get("type"), loader), 0, patterns);
        }
    }

    /** Adds the pattern for a value of this type, or those of its elements, entries and properties. */
    private static void expand(SettingPattern pattern, TypeRef type, int depth, List<SettingPattern> patterns) {
        if (type == null || depth > MAX_DEPTH) {
            patterns.add(pattern);
            return;
        }
        if (Map.class.isAssignableFrom(type.raw())) {
            TypeRef value = type.argument(1);
            if (value == null || value.scalar()) {
                patterns.add(pattern.with(new SettingPattern.Element(SettingPattern.Kind.REST, "key")));
            } else {
                expand(
                        pattern.with(new SettingPattern.Element(SettingPattern.Kind.KEY, "name")),
                        value,
                        depth + 1,
                        patterns);
            }
        } else if (Collection.class.isAssignableFrom(type.raw()) || type.raw().isArray()) {
            TypeRef element =
                    type.raw().isArray() ? new TypeRef(type.raw().getComponentType(), List.of()) : type.argument(0);
            if (element == null || element.scalar()) {
                // a comma-separated value, or element by element
                patterns.add(pattern);
            }
            expand(
                    pattern.with(new SettingPattern.Element(SettingPattern.Kind.INDEX, "index")),
                    element,
                    depth + 1,
                    patterns);
        } else if (type.scalar()) {
            patterns.add(pattern);
        } else {
            for (Map.Entry<String, Type> property : properties(type.raw()).entrySet()) {
                expand(
                        pattern.with(SettingPattern.Element.literal(property.getKey())),
                        TypeRef.of(property.getValue()),
                        depth + 1,
                        patterns);
            }
        }
    }

    /** The bindable properties of a settings class by kebab-case name: a record's components, or its fields. */
    private static Map<String, Type> properties(Class<?> type) {
        Map<String, Type> properties = new java.util.LinkedHashMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                properties.put(kebab(component.getName()), component.getGenericType());
            }
        } else {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    properties.put(kebab(field.getName()), field.getGenericType());
                }
            }
        }
        return properties;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a name from a properties file, the command line or system properties is a known setting. */
    public boolean isKnown(SettingName name) {
        return patterns.stream().anyMatch(p -> p.matches(name.tokens(), name.environment()));
    }

    /** The known setting closest to the name given, written as the name would have to be. */
    public Optional<String> closest(SettingName name) {
        Set<String> candidates = new LinkedHashSet<>();
        for (SettingPattern pattern : patterns) {
            candidates.add(pattern.display(name.elements()));
        }
        return ClosestMatch.of(name.comparable(), candidates);
    }

    int size() {
        return patterns.size();
    }

    /** A type as the metadata names it ({@code java.util.Map<java.lang.String,a.b.C$D>}) or reflection gives it. */
    record TypeRef(Class<?> raw, List<TypeRef> arguments) {

        TypeRef argument(int index) {
            return index < arguments.size() ? arguments.get(index) : null;
        }

        /** Bound from one value: text, numbers, durations, paths, enums and the like. */
        boolean scalar() {
            if (raw.isPrimitive() || raw.isEnum() || raw.isArray()) {
                return !raw.isArray() || raw.getComponentType().isPrimitive();
            }
            if (Map.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)) {
                return false;
            }
            return !(raw.isRecord() || raw.getName().startsWith("dk.sf1820."));
        }

        static TypeRef of(Type type) {
            if (type instanceof Class<?> c) {
                return new TypeRef(c, List.of());
            }
            if (type instanceof ParameterizedType p) {
                return new TypeRef(
                        (Class<?>) p.getRawType(),
                        java.util.Arrays.stream(p.getActualTypeArguments())
                                .map(TypeRef::of)
                                .toList());
            }
            if (type instanceof WildcardType w) {
                return of(w.getUpperBounds()[0]);
            }
            if (type instanceof GenericArrayType a) {
                return new TypeRef(
                        java.lang.reflect.Array.newInstance(
                                        of(a.getGenericComponentType()).raw(), 0)
                                .getClass(),
                        List.of());
            }
            if (type instanceof TypeVariable<?>) {
                return new TypeRef(Object.class, List.of());
            }
            return null;
        }

        static TypeRef parse(String type, ClassLoader loader) {
            if (type == null || type.isBlank()) {
                return null;
            }
            return new Parser(type.replace(" ", ""), loader).type();
        }
    }

    /** Reads the metadata's generic type names; an unloadable class counts as a plain value. */
    private static final class Parser {

        private final String text;
        private final ClassLoader loader;
        private int position;

        Parser(String text, ClassLoader loader) {
            this.text = text;
            this.loader = loader;
        }

        TypeRef type() {
            int start = position;
            while (position < text.length() && "<>,[".indexOf(text.charAt(position)) < 0) {
                position++;
            }
            String name = text.substring(start, position);
            List<TypeRef> arguments = new ArrayList<>();
            if (position < text.length() && text.charAt(position) == '<') {
                do {
                    position++;
                    arguments.add(type());
                } while (position < text.length() && text.charAt(position) == ',');
                position++;
            }
            Class<?> raw = load(name);
            while (text.startsWith("[]", position)) {
                position += 2;
                raw = raw == null
                        ? null
                        : java.lang.reflect.Array.newInstance(raw, 0).getClass();
            }
            return raw == null ? null : new TypeRef(raw, arguments.contains(null) ? List.of() : List.copyOf(arguments));
        }

        private Class<?> load(String name) {
            String candidate = name;
            while (true) {
                try {
                    return switch (candidate) {
                        case "int" -> int.class;
                        case "long" -> long.class;
                        case "boolean" -> boolean.class;
                        case "double" -> double.class;
                        case "short" -> short.class;
                        case "byte" -> byte.class;
                        case "char" -> char.class;
                        case "float" -> float.class;
                        default -> Class.forName(candidate, false, loader);
                    };
                } catch (ClassNotFoundException | LinkageError e) {
                    int dot = candidate.lastIndexOf('.');
                    if (dot < 0) {
                        return null;
                    }
                    // a nested class written with a dot: try it as Outer$Inner
                    candidate = candidate.substring(0, dot) + "$" + candidate.substring(dot + 1);
                }
            }
        }
    }
}
