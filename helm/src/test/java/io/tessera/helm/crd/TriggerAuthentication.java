package io.tessera.helm.crd;

import static io.tessera.helm.crd.ScaledObject.require;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * KEDA's TriggerAuthentication (keda.sh/v1alpha1), the subset of its CRD that reads Secrets and env:
 * typed by hand like {@link ScaledObject}, unknown fields rejected.
 */
public record TriggerAuthentication(
        @JsonProperty(required = true) String apiVersion,
        @JsonProperty(required = true) String kind,
        @JsonProperty(required = true) ObjectMeta metadata,
        @JsonProperty(required = true) Spec spec) {

    public TriggerAuthentication {
        require("keda.sh/v1alpha1".equals(apiVersion), "apiVersion must be keda.sh/v1alpha1, was " + apiVersion);
        require("TriggerAuthentication".equals(kind), "kind must be TriggerAuthentication, was " + kind);
    }

    public record Spec(List<SecretTargetRef> secretTargetRef, List<EnvRef> env) {
        public Spec {
            require((secretTargetRef != null && !secretTargetRef.isEmpty()) || (env != null && !env.isEmpty()),
                    "spec needs secretTargetRef or env entries");
        }
    }

    public record SecretTargetRef(@JsonProperty(required = true) String parameter,
                                  @JsonProperty(required = true) String name,
                                  @JsonProperty(required = true) String key) {
    }

    public record EnvRef(@JsonProperty(required = true) String parameter,
                         @JsonProperty(required = true) String name,
                         String containerName) {
    }
}
