package io.tessera.objectstore;

import io.tessera.embedding.model.CachingModelStore;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.embedding.model.RemoteModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Model versions in an S3 bucket, {@code s3://<bucket>/<prefix><name>/<version>/<file>}: the layout of a
 * {@link LocalModelStore}, so a version's directory is uploaded as it is and its {@code artifactUri} is the
 * {@code s3://} URI of that folder. {@link #publish} writes the manifest last, so readers (which list manifests)
 * never see half a version; read it through a {@link CachingModelStore}, which checks every file's sha256.
 */
public final class S3ModelFiles implements RemoteModelFiles, AutoCloseable {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String endpoint;

    /**
     * @param base {@code s3://bucket/} or {@code s3://bucket/some/prefix/}
     */
    public S3ModelFiles(URI base, S3Settings settings, java.time.Duration timeout) {
        if (!"s3".equalsIgnoreCase(base.getScheme()) || base.getHost() == null || base.getHost().isBlank()) {
            throw new ModelStoreException("model store URI " + base + " must look like s3://bucket/prefix/", false);
        }
        if (base.getQuery() != null || base.getFragment() != null || base.getUserInfo() != null) {
            throw new ModelStoreException("model store URI " + base + " must not carry user info, query or fragment",
                    false);
        }
        this.bucket = base.getHost();
        String path = base.getPath() == null ? "" : base.getPath();
        path = path.startsWith("/") ? path.substring(1) : path;
        this.prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
        this.s3 = settings.newClient(timeout, timeout);
        this.endpoint = settings.describe();
    }

    @Override
    public InputStream open(ModelRef ref, String file) {
        String key = keyOf(ref) + file;
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new ModelStoreException("model " + ref + " not found: s3://" + bucket + "/" + key + " does not exist"
                    + " in " + endpoint, false, e);
        } catch (SdkException e) {
            throw classify("read s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public List<Integer> versions(String modelName) {
        String folder = prefix + new ModelRef(modelName, 1).name() + "/";
        Pattern manifest = Pattern.compile(Pattern.quote(folder) + "([1-9][0-9]{0,8})/"
                + Pattern.quote(ModelManifest.FILE_NAME));
        List<Integer> out = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(folder)
                    .build()).contents()) {
                Matcher m = manifest.matcher(o.key());
                if (m.matches()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (SdkException e) {
            throw classify("list s3://" + bucket + "/" + folder, e);
        }
        out.sort(null);
        return out;
    }

    @Override
    public URI locationOf(ModelRef ref) {
        return URI.create("s3://" + bucket + "/" + keyOf(ref));
    }

    @Override
    public String describe() {
        return "object store model store at s3://" + bucket + "/" + prefix + " (" + endpoint + ")";
    }

    /**
     * Uploads a sealed version directory: every file its manifest lists, then the manifest. Publishing the same
     * bytes again (a retry after a crash) rewrites them harmlessly; a different manifest under an existing version
     * is refused, because versions are immutable.
     *
     * @return the version's {@code artifactUri}
     * @throws ModelStoreException retriable when the store cannot be reached
     */
    public URI publish(ModelDirectory dir) {
        ModelRef ref = dir.ref();
        String folder = keyOf(ref);
        try {
            byte[] manifest = Files.readAllBytes(dir.root().resolve(ModelManifest.FILE_NAME));
            byte[] existing = readIfPresent(folder + ModelManifest.FILE_NAME);
            if (existing != null && !java.util.Arrays.equals(existing, manifest)) {
                throw new ModelStoreException(ref + " is already at " + locationOf(ref) + " with another manifest;"
                        + " versions are immutable, publish a new version", false);
            }
            for (Map.Entry<String, String> f : dir.manifest().files().entrySet()) {
                s3.putObject(b -> b.bucket(bucket).key(folder + f.getKey()),
                        RequestBody.fromFile(dir.root().resolve(f.getKey())));
            }
            s3.putObject(b -> b.bucket(bucket).key(folder + ModelManifest.FILE_NAME).contentType("application/json"),
                    RequestBody.fromBytes(manifest));
            return locationOf(ref);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.root(), e);
        } catch (SdkException e) {
            throw classify("upload " + ref + " to " + locationOf(ref), e);
        }
    }

    private byte[] readIfPresent(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private String keyOf(ModelRef ref) {
        return prefix + ref.name() + "/" + ref.version() + "/";
    }

    /**
     * Unreachable, throttled or failing on its side: retriable. Denied or otherwise refused: not, and the message
     * says which bucket and credentials to check.
     */
    private ModelStoreException classify(String what, SdkException e) {
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            boolean retriable = status >= 500 || status == 429 || status == 408;
            String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
            String hint = status == 403 || status == 401 ? ": check the model store's credentials and the bucket's"
                    + " policy" : status == 404 ? ": does bucket '" + bucket + "' exist?" : "";
            return new ModelStoreException("cannot " + what + " in " + endpoint + ": HTTP " + status
                    + (code == null ? "" : " " + code) + hint, retriable, e);
        }
        boolean retriable = e instanceof SdkClientException || e.retryable();
        return new ModelStoreException("cannot " + what + " in " + endpoint + ": " + e.getMessage(), retriable, e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
