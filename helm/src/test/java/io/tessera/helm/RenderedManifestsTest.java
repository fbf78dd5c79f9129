package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every manifest the chart renders, for every values set, against the Kubernetes API types and each other. */
class RenderedManifestsTest {
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void noManifestHasUnknownFields(ValuesSet values) {
        List<String> problems = new ArrayList<>();
        for (var doc : Rendered.of(values).documents) {
            try {
                StrictKubernetesModel.parse(doc);
            } catch (StrictKubernetesModel.InvalidManifestException e) {
                problems.add(e.getMessage());
            }
        }
        assertThat(problems).as("manifests rendered with %s", values).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void everyResourceCarriesTheStandardLabelsAndAValidName(ValuesSet values) {
        for (Object o : Rendered.of(values).typed()) {
            HasMetadata r = o instanceof HasMetadata h ? h : metadataOf(o);
            String name = r.getMetadata().getName();
            assertThat(name).as("name of a %s", o.getClass().getSimpleName()).hasSizeLessThanOrEqualTo(63)
                    .matches(DNS_1123_LABEL);
            assertThat(r.getMetadata().getNamespace()).as("%s namespace", name).isEqualTo("tessera");
            assertThat(r.getMetadata().getLabels()).as("labels of %s", name)
                    .containsEntry("app.kubernetes.io/name", "tessera")
                    .containsEntry("app.kubernetes.io/instance", "tessera")
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsEntry("app.kubernetes.io/part-of", "tessera")
                    .containsKeys("helm.sh/chart", "app.kubernetes.io/version");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void selectorsOfDeploymentsServicesAndBudgetsMatchExactlyOnePodTemplate(ValuesSet values) {
        Rendered r = Rendered.of(values);
        List<Deployment> deployments = r.deployments();
        for (Deployment d : deployments) {
            Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).as("pod labels of %s", d.getMetadata().getName())
                    .containsAllEntriesOf(selector);
        }
        for (Service s : r.all(Service.class)) {
            assertThat(matching(deployments, s.getSpec().getSelector())).as("pods selected by Service %s", s.getMetadata().getName())
                    .hasSize(1);
            assertThat(s.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
        }
        for (PodDisruptionBudget pdb : r.all(PodDisruptionBudget.class)) {
            assertThat(matching(deployments, pdb.getSpec().getSelector().getMatchLabels()))
                    .as("pods selected by PDB %s", pdb.getMetadata().getName()).hasSize(1);
        }
        for (ServiceMonitor sm : r.all(ServiceMonitor.class)) {
            List<Service> selected = r.all(Service.class).stream()
                    .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(sm.getSpec().getSelector().getMatchLabels().entrySet()))
                    .toList();
            assertThat(selected).as("Services selected by ServiceMonitor %s", sm.getMetadata().getName()).hasSize(1);
            Set<String> portNames = selected.get(0).getSpec().getPorts().stream().map(p -> p.getName()).collect(Collectors.toSet());
            assertThat(sm.getSpec().getEndpoints()).allSatisfy(e -> {
                assertThat(portNames).contains(e.getPort());
                assertThat(e.getPath()).isEqualTo("/q/metrics");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void probesUseTheQuarkusHealthEndpointsOnTheDeclaredPort(ValuesSet values) {
        for (Deployment d : Rendered.of(values).deployments()) {
            Container c = Rendered.container(d);
            Set<String> ports = c.getPorts().stream().map(p -> p.getName()).collect(Collectors.toSet());
            assertProbe(c.getStartupProbe(), "/q/health/started", ports);
            assertProbe(c.getLivenessProbe(), "/q/health/live", ports);
            assertProbe(c.getReadinessProbe(), "/q/health/ready", ports);
            assertThat(Rendered.envValue(d, "QUARKUS_HTTP_PORT")).as("QUARKUS_HTTP_PORT of %s", d.getMetadata().getName())
                    .contains(String.valueOf(c.getPorts().get(0).getContainerPort()));
        }
    }

    private static void assertProbe(Probe probe, String path, Set<String> declaredPorts) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(declaredPorts).contains(probe.getHttpGet().getPort().getStrVal());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void containersRunAsNonRootWithAReadOnlyRootAndAWritableTmp(ValuesSet values) {
        for (Deployment d : Rendered.of(values).deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = Rendered.container(d);
            SecurityContext sc = c.getSecurityContext();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(sc.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem of %s", c.getName()).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).contains("ALL");
            assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/tmp");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void volumeMountsReferToDeclaredVolumesAndEveryVolumeIsMounted(ValuesSet values) {
        for (Deployment d : Rendered.of(values).deployments()) {
            Set<String> volumes = d.getSpec().getTemplate().getSpec().getVolumes().stream().map(Volume::getName)
                    .collect(Collectors.toSet());
            Set<String> mounted = Rendered.container(d).getVolumeMounts().stream().map(VolumeMount::getName)
                    .collect(Collectors.toSet());
            assertThat(mounted).as("mounts of %s", d.getMetadata().getName()).isEqualTo(volumes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void envHasNoDuplicatesAndExpandsOnlyEarlierVariables(ValuesSet values) {
        for (Deployment d : Rendered.of(values).deployments()) {
            Set<String> seen = new HashSet<>();
            for (EnvVar e : Rendered.env(d)) {
                assertThat(seen.add(e.getName())).as("%s defined twice in %s", e.getName(), d.getMetadata().getName()).isTrue();
                if (e.getValue() != null) {
                    Matcher m = ENV_REFERENCE.matcher(e.getValue());
                    while (m.find()) {
                        assertThat(seen).as("%s expands $(%s) in %s", e.getName(), m.group(1), d.getMetadata().getName())
                                .contains(m.group(1));
                    }
                }
                assertThat(e.getValue() != null ^ e.getValueFrom() != null)
                        .as("%s has exactly one of value/valueFrom", e.getName()).isTrue();
                if (e.getValue() != null) {
                    assertThat(e.getValue()).as("%s is never rendered empty", e.getName()).isNotEmpty();
                }
            }
        }
    }

    private static List<Deployment> matching(List<Deployment> deployments, Map<String, String> selector) {
        return deployments.stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .toList();
    }

    private static HasMetadata metadataOf(Object crd) {
        var meta = switch (crd) {
            case io.tessera.helm.crd.ScaledObject so -> so.metadata();
            case io.tessera.helm.crd.TriggerAuthentication ta -> ta.metadata();
            default -> throw new AssertionError("no metadata accessor for " + crd.getClass());
        };
        var holder = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        holder.setMetadata(meta);
        return holder;
    }
}
