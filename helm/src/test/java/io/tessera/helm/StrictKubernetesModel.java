package io.tessera.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.tessera.helm.crd.ScaledObject;
import io.tessera.helm.crd.TriggerAuthentication;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Deserialises a rendered manifest into the Kubernetes API type its apiVersion and kind name, the way the
 * API server's strict decoding would judge it: an unknown field, a string where a number belongs (or the
 * reverse), or an invalid quantity is an error with the field's path.
 *
 * <p>fabric8's model classes swallow unknown fields into an {@code additionalProperties} map (a
 * {@code @JsonAnySetter}), so FAIL_ON_UNKNOWN_PROPERTIES alone catches nothing: after deserialising, the
 * object graph is walked and every non-empty additionalProperties is reported.
 */
final class StrictKubernetesModel {

    /** Every kind the chart may render; anything else is an error, so a new kind needs a model first. */
    static final Map<String, Class<?>> TYPES = Map.of(
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "keda.sh/v1alpha1/ScaledObject", ScaledObject.class,
            "keda.sh/v1alpha1/TriggerAuthentication", TriggerAuthentication.class);

    static final ObjectMapper MAPPER = strictMapper();

    private StrictKubernetesModel() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // Kubernetes' JSON decoding never turns a number or boolean into a string field (an unquoted
        // `value: 8080` in an env entry is rejected), nor a string into a number or boolean.
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** The typed object, or an {@link InvalidManifestException} naming every problem. */
    static Object parse(JsonNode manifest) {
        String gvk = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
        Class<?> type = TYPES.get(gvk);
        String name = manifest.path("metadata").path("name").asText("<unnamed>");
        if (type == null) {
            throw new InvalidManifestException(gvk + " " + name + ": no Kubernetes model registered for this kind");
        }
        Object typed;
        try {
            typed = MAPPER.treeToValue(manifest, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidManifestException(gvk + " " + name + ": " + e.getMessage());
        }
        List<String> problems = unknownFields(typed);
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(gvk + " " + name + ": " + String.join("; ", problems));
        }
        return typed;
    }

    /** Every unknown field (a non-empty additionalProperties) or ill-typed value, by path. */
    static List<String> unknownFields(Object root) {
        List<String> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Object value, String path, List<String> out) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, out));
            return;
        }
        if (value instanceof IntOrString ios) {
            Object v = ios.getValue();
            if (!(v instanceof Integer) && !(v instanceof String)) {
                out.add(path + ": expected an integer or a string, got " + describe(v));
            }
            return;
        }
        if (value instanceof Quantity q) {
            try {
                Quantity.getAmountInBytes(q);
            } catch (RuntimeException e) {
                out.add(path + ": invalid quantity '" + q + "'");
            }
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        Map<?, ?> additional = additionalProperties(value);
        if (additional != null) {
            additional.forEach((k, v) -> out.add(path + "." + k + ": unknown field (value " + v + ")"));
        }
        BeanDescription bean = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(value.getClass()));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor == null || property.getName().equals("additionalProperties")) {
                continue;
            }
            walk(accessor.getValue(value), path + "." + property.getName(), out);
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.") || name.startsWith("io.tessera.helm.crd.");
    }

    private static Map<?, ?> additionalProperties(Object model) {
        try {
            Method getter = model.getClass().getMethod("getAdditionalProperties");
            return getter.invoke(model) instanceof Map<?, ?> map ? map : null;
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read additionalProperties of " + model.getClass(), e);
        }
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    static final class InvalidManifestException extends RuntimeException {
        InvalidManifestException(String message) {
            super(message);
        }
    }
}
