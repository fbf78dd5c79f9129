package io.tessera.stack.internal;

import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The project-local virtualenv with exactly src/main/python/requirements.txt installed. */
public final class PythonEnvironment {

    private static final Pattern COLLECTING = Pattern.compile("^\\s*(Collecting|Downloading|Installing collected packages:)\\s*(\\S+)");

    private final StackConfig config;
    private final Path venv;
    private final Path marker;
    private final Path log;

    public PythonEnvironment(StackConfig config) {
        this.config = config;
        this.venv = config.venvDir();
        this.marker = venv.resolve(".tessera-requirements.sha256");
        this.log = config.logsDir().resolve("install-milvus.log");
    }

    public Path python() {
        return venv.resolve("bin").resolve("python");
    }

    /** Whether the virtualenv exists with the current requirements installed. */
    public boolean upToDate() {
        try {
            return Files.isExecutable(python()) && Files.isRegularFile(marker)
                    && Files.readString(marker).trim().equals(requirementsHash());
        } catch (IOException e) {
            return false;
        }
    }

    /** The installed version of a distribution, read from its dist-info directory. */
    public Optional<String> installedVersion(String distribution) {
        String prefix = distribution.replace('-', '_') + "-";
        Path lib = venv.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (Stream<Path> sitePackages = Files.list(lib)) {
            for (Path pythonDir : sitePackages.toList()) {
                Path site = pythonDir.resolve("site-packages");
                if (!Files.isDirectory(site)) {
                    continue;
                }
                try (Stream<Path> entries = Files.list(site)) {
                    Optional<String> v = entries.map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith(prefix) && n.endsWith(".dist-info"))
                            .map(n -> n.substring(prefix.length(), n.length() - ".dist-info".length()))
                            .findFirst();
                    if (v.isPresent()) {
                        return v;
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    public void install(Consumer<String> activity) {
        activity.accept("installing: checking " + config.python());
        checkInterpreter();
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(marker);
            if (!Files.isExecutable(python())) {
                FileTrees.deleteRecursively(venv);
                activity.accept("installing: creating the virtualenv " + venv);
                run(List.of(config.python(), "-m", "venv", venv.toString()), activity,
                        "creating the virtualenv failed: see " + log
                                + " (on Debian/Ubuntu install the venv module: apt-get install python3-venv)");
            }
            Path requirements = Resources.extract("python/requirements.txt", config.cacheDir().resolve("python").resolve("requirements.txt"));
            activity.accept("installing: pip install -r requirements.txt");
            run(List.of(python().toString(), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
                    "-r", requirements.toString()), activity,
                    "pip could not install " + requirements + ": see " + log + " (check network access to the Python package index, then run 'stack up' again)");
            Files.writeString(marker, requirementsHash() + "\n");
        } catch (IOException e) {
            throw new StackException.InstallException("cannot set up the virtualenv in " + venv + ": " + e.getMessage(), e);
        }
    }

    /** Throws PrerequisiteMissingException unless the configured Python is 3.10+ with venv and ensurepip. */
    public void checkInterpreter() {
        String missing = "no usable Python found ('" + config.python() + "'): install Python 3.10 or newer with its venv module"
                + " (e.g. apt-get install python3 python3-venv) or point TESSERA_PYTHON at one";
        try {
            Process p = new ProcessBuilder(config.python(), "-c",
                    "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new StackException.PrerequisiteMissingException(missing);
            }
            String[] parts = lastLine(out).split("\\.");
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            if (major < 3 || (major == 3 && minor < 10)) {
                throw new StackException.PrerequisiteMissingException("'" + config.python() + "' is Python " + out
                        + "; Milvus Lite needs 3.10 or newer: install one and point TESSERA_PYTHON at it");
            }
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new StackException.PrerequisiteMissingException(missing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.PrerequisiteMissingException("interrupted while checking Python");
        }
    }

    private void run(List<String> command, Consumer<String> activity, String failure) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter logWriter = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
            logWriter.println("$ " + String.join(" ", command));
            String line;
            while ((line = out.readLine()) != null) {
                logWriter.println(line);
                Matcher m = COLLECTING.matcher(line);
                if (m.find()) {
                    String what = m.group(1).startsWith("Installing") ? "unpacking packages" : m.group(1).toLowerCase() + " " + shortName(m.group(2));
                    activity.accept("installing: pip " + what);
                }
            }
        }
        try {
            if (p.waitFor() != 0) {
                throw new StackException.InstallException(failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new StackException.InstallException("interrupted while installing the virtualenv");
        }
    }

    private static String shortName(String s) {
        int slash = s.lastIndexOf('/');
        return slash >= 0 ? s.substring(slash + 1) : s;
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\\R");
        return lines[lines.length - 1];
    }

    private String requirementsHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Resources.bytes("python/requirements.txt"));
            sha.update(config.python().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
