package io.tessera.media.internal;

import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaException;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import io.tessera.media.TransientMediaException;
import io.tessera.media.TransientReason;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code s3://bucket/key} references to allowlisted buckets of one S3-compatible store, through the AWS SDK. The same
 * limits as {@code http(s):}: the declared length is checked before the body is read, the body is read into a buffer
 * that refuses to grow past the byte limit, and the whole call runs under the request timeout. A missing object or
 * bucket and a refused access are the reference's fault (rejected, dead-lettered); a store that cannot be reached,
 * throttles or fails (5xx) is transient (the indexer retries).
 */
final class S3Fetcher implements AutoCloseable {

    private final FetchConfig config;
    private final FetchConfig.S3Access access;
    private S3Client client;

    S3Fetcher(FetchConfig config) {
        this.config = config;
        this.access = config.s3();
    }

    FetchedContent fetch(URI uri) throws MediaException {
        String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        String key = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? null
                : java.net.URLDecoder.decode(uri.getRawPath().substring(1).replace("+", "%2B"),
                        java.nio.charset.StandardCharsets.UTF_8);
        if (bucket == null || bucket.isEmpty() || key == null) {
            throw new MediaRejectedException(RejectReason.INVALID_REFERENCE, uri + " is not s3://bucket/key");
        }
        if (!access.buckets().contains(bucket)) {
            throw new MediaRejectedException(RejectReason.URI_NOT_ALLOWED, "bucket '" + bucket + "' of " + uri
                    + " is not allowed; allowed buckets: " + (access.buckets().isEmpty()
                    ? "none (tessera.fetch.s3.buckets)" : access.buckets()));
        }
        try (ResponseInputStream<GetObjectResponse> object = client().getObject(b -> b.bucket(bucket).key(key))) {
            Long length = object.response().contentLength();
            if (length != null && length > config.maxBytes()) {
                throw new MediaRejectedException(RejectReason.TOO_LARGE, uri + " has " + length
                        + " bytes, more than the limit of " + config.maxBytes());
            }
            byte[] body = BoundedRead.readAll(object, config.maxBytes(), uri.toString());
            return new FetchedContent(body, Sha256.hex(body), Optional.ofNullable(object.response().contentType()),
                    uri.toString());
        } catch (S3Exception e) {
            throw classify(uri, e);
        } catch (ApiCallTimeoutException e) {
            throw new TransientMediaException(TransientReason.TIMEOUT, uri + " was not read within "
                    + config.requestTimeout(), e);
        } catch (SdkClientException e) {
            throw new TransientMediaException(TransientReason.CONNECTION_FAILED, "the object store for " + uri
                    + " could not be reached: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TransientMediaException(TransientReason.CONNECTION_FAILED, "reading " + uri + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static MediaException classify(URI uri, S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        if (status == 404) {
            return new MediaRejectedException(RejectReason.NOT_FOUND, uri + " does not exist ("
                    + (code == null ? "404" : code) + ")", e);
        }
        if (status == 401 || status == 403) {
            return new MediaRejectedException(RejectReason.ACCESS_DENIED, "the object store refused to read " + uri
                    + " (" + (code == null ? status : code) + "): check the credentials and the bucket's policy", e);
        }
        if (status >= 500 || status == 429 || status == 408 || "SlowDown".equals(code)) {
            return new TransientMediaException(TransientReason.SERVER_ERROR, "the object store answered " + status
                    + (code == null ? "" : " " + code) + " for " + uri, e);
        }
        return new MediaRejectedException(RejectReason.HTTP_STATUS, "the object store answered " + status
                + (code == null ? "" : " " + code) + " for " + uri, e);
    }

    /** Built on first use: a service whose references never name a bucket needs no S3 client. */
    private synchronized S3Client client() {
        if (client == null) {
            AwsCredentialsProvider credentials = access.accessKey().isPresent()
                    ? StaticCredentialsProvider.create(AwsBasicCredentials.create(access.accessKey().get(),
                            access.secretKey().orElseThrow()))
                    : DefaultCredentialsProvider.builder().build();
            var builder = S3Client.builder()
                    .region(Region.of(access.region()))
                    .credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(access.pathStyle()).build())
                    // The indexer retries transient failures itself, with back-off and health reporting.
                    .overrideConfiguration(o -> o.apiCallTimeout(config.requestTimeout())
                            .retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(config.connectTimeout())
                            .socketTimeout(config.requestTimeout()).build());
            access.endpoint().ifPresent(builder::endpointOverride);
            client = builder.build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
