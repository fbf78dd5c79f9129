package io.tessera.media.internal;

import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaException;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import io.tessera.media.TransientMediaException;
import io.tessera.media.TransientReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * {@code file:} references, only under the configured roots. The check is on real paths (symlinks resolved),
 * so a link under a root that points outside is refused; {@code ..} is refused outright, before touching the disk.
 */
final class FileFetcher {

    private final long maxBytes;
    private final List<Path> realRoots;

    FileFetcher(FetchConfig config) {
        this.maxBytes = config.maxBytes();
        this.realRoots = config.fileRoots().stream().map(FileFetcher::realRoot).toList();
    }

    private static Path realRoot(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("file root " + root + " does not exist or cannot be read: " + e, e);
        }
    }

    FetchedContent fetch(URI uri) throws MediaException {
        if (realRoots.isEmpty()) {
            throw new MediaRejectedException(RejectReason.FILE_OUTSIDE_ROOTS,
                    uri + " is a file reference but no file roots are configured");
        }
        String rawPath = uri.getRawPath();
        if (uri.getRawAuthority() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || rawPath == null || !rawPath.startsWith("/")) {
            throw new MediaRejectedException(RejectReason.INVALID_REFERENCE,
                    uri + " is not a local absolute file URI; use file:///absolute/path");
        }
        Path requested;
        try {
            requested = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new MediaRejectedException(RejectReason.INVALID_REFERENCE, uri + " is not a file path: "
                    + e.getMessage(), e);
        }
        for (Path part : requested) {
            if (part.toString().equals("..")) {
                throw new MediaRejectedException(RejectReason.FILE_OUTSIDE_ROOTS,
                        uri + " contains '..'; reference files by their path under a root");
            }
        }
        // Lexical check first so that nothing is said about the existence of files outside the roots.
        if (realRoots.stream().noneMatch(root -> requested.normalize().startsWith(root))
                && !underRootThroughLink(requested)) {
            throw new MediaRejectedException(RejectReason.FILE_OUTSIDE_ROOTS,
                    requested + " is outside the configured file roots " + realRoots);
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (NoSuchFileException e) {
            throw new MediaRejectedException(RejectReason.NOT_FOUND, requested + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new MediaRejectedException(RejectReason.ACCESS_DENIED, requested + " cannot be read: " + e, e);
        } catch (IOException e) {
            throw new TransientMediaException(TransientReason.IO_ERROR, "resolving " + requested + ": " + e, e);
        }
        if (realRoots.stream().noneMatch(real::startsWith)) {
            throw new MediaRejectedException(RejectReason.FILE_OUTSIDE_ROOTS, requested + " resolves to " + real
                    + " (through a symbolic link), outside the configured file roots " + realRoots);
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                // A FIFO or device would block or never end.
                throw new MediaRejectedException(RejectReason.INVALID_REFERENCE, real + " is not a regular file");
            }
            if (attrs.size() > maxBytes) {
                throw new MediaRejectedException(RejectReason.TOO_LARGE, real + " has " + attrs.size()
                        + " bytes, more than the limit of " + maxBytes);
            }
            // NOFOLLOW_LINKS: if the checked path is swapped for a link after the check, opening fails.
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = BoundedRead.readAll(in, maxBytes, real.toString());
                return new FetchedContent(bytes, Sha256.hex(bytes), Optional.ofNullable(probeType(real)),
                        real.toString());
            }
        } catch (NoSuchFileException e) {
            throw new MediaRejectedException(RejectReason.NOT_FOUND, real + " disappeared while reading", e);
        } catch (AccessDeniedException e) {
            throw new MediaRejectedException(RejectReason.ACCESS_DENIED, real + " cannot be read: " + e, e);
        } catch (IOException e) {
            throw new TransientMediaException(TransientReason.IO_ERROR, "reading " + real + ": " + e, e);
        }
    }

    /**
     * A root may itself be reached through a link (e.g. /tmp on macOS is /private/tmp): accept a request whose
     * parent resolves under a root; the real-path check after it decides.
     */
    private boolean underRootThroughLink(Path requested) {
        Path parent = requested.normalize().getParent();
        while (parent != null) {
            try {
                Path realParent = parent.toRealPath();
                return realRoots.stream().anyMatch(realParent::startsWith);
            } catch (IOException e) {
                parent = parent.getParent();
            }
        }
        return false;
    }

    private static String probeType(Path path) {
        try {
            return Files.probeContentType(path);
        } catch (IOException e) {
            return null;
        }
    }
}
