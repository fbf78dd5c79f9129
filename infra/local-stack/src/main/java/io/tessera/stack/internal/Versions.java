package io.tessera.stack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pinned server versions: Kafka, Apicurio and SeaweedFS from the parent pom, Milvus Lite from requirements.txt. */
public final class Versions {

    public static final String KAFKA = load().getProperty("kafka.version");
    public static final String APICURIO = load().getProperty("apicurio.version");
    /** A Go module pseudo-version of github.com/seaweedfs/seaweedfs (the module publishes no tagged versions). */
    public static final String SEAWEEDFS = load().getProperty("seaweedfs.version");
    public static final String MILVUS_LITE = pinned(Resources.text("python/requirements.txt"), "milvus-lite");

    private Versions() { }

    static String pinned(String requirements, String distribution) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(distribution) + "\\s*==\\s*([^\\s;#]+)").matcher(requirements);
        if (!m.find()) {
            throw new IllegalStateException("requirements.txt does not pin " + distribution + " with ==");
        }
        return m.group(1);
    }

    private static Properties load() {
        try (InputStream in = Versions.class.getResourceAsStream("/io/tessera/stack/versions.properties")) {
            Properties p = new Properties();
            p.load(in);
            if (p.getProperty("kafka.version", "").startsWith("$")) {
                throw new IllegalStateException("versions.properties was not filtered by the build");
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
