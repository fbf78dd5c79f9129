{{/*
The Tessera services, in one place: every per-kind template ranges over this list, so a service is
added by adding it here (plus its values block, schema definition and config-keys.yaml entry).
  key:      its block in values.yaml
  name:     the service name (component label, resource-name suffix, config-keys.yaml key)
  role:     catalog | indexer | search | trainer
  http:     serves an API to users (gets a configurable Service type and port name "http")
  topic:    the input topic whose consumer lag drives autoscaling (indexers) or that the trainer consumes
*/}}
{{- define "tessera.components" -}}
- key: mediaCatalog
  name: media-catalog
  role: catalog
  http: true
- key: imageIndexer
  name: image-indexer
  role: indexer
  topic: media.image
- key: videoIndexer
  name: video-indexer
  role: indexer
  topic: media.video
- key: documentIndexer
  name: document-indexer
  role: indexer
  topic: media.document
- key: textIndexer
  name: text-indexer
  role: indexer
  topic: media.text
- key: searchApi
  name: search-api
  role: search
  http: true
- key: trainer
  name: trainer
  role: trainer
  topic: pairs.curated
{{- end -}}

{{/* The enabled components as a list of dicts, each with its values block under "values". */}}
{{- define "tessera.enabledComponents" -}}
{{- $out := list -}}
{{- range (fromYamlArray (include "tessera.components" .)) -}}
{{- $v := index $.Values .key -}}
{{- if $v.enabled -}}
{{- $out = append $out (merge (dict "values" $v) .) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "tessera.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tessera.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a component's resources: <fullname>-<component>, kept within 63 characters. */}}
{{- define "tessera.componentFullname" -}}
{{- $root := .root -}}
{{- $suffix := printf "-%s" .component.name -}}
{{- printf "%s%s" (include "tessera.fullname" $root | trunc (int (sub 63 (len $suffix))) | trimSuffix "-") $suffix -}}
{{- end -}}

{{- define "tessera.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Standard labels; pass the root context. */}}
{{- define "tessera.labels" -}}
helm.sh/chart: {{ include "tessera.chart" . }}
app.kubernetes.io/name: {{ include "tessera.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tessera
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of a component's resources; dict root, component. */}}
{{- define "tessera.componentLabels" -}}
{{ include "tessera.labels" .root }}
app.kubernetes.io/component: {{ .component.name }}
{{- end -}}

{{/* Selector labels of a component (immutable in a Deployment: never add to them). */}}
{{- define "tessera.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tessera.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component.name }}
{{- end -}}

{{- define "tessera.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tessera.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Whether a component runs on a GPU; dict component. */}}
{{- define "tessera.gpuEnabled" -}}
{{- $gpu := .component.values.gpu | default dict -}}
{{- if $gpu.enabled -}}true{{- end -}}
{{- end -}}

{{/* Image reference; dict root, component. The CUDA variant is the same repository with a tag suffix. */}}
{{- define "tessera.image" -}}
{{- $img := .component.values.image -}}
{{- $tag := default .root.Chart.AppVersion $img.tag -}}
{{- if include "tessera.gpuEnabled" . -}}
{{- $tag = printf "%s%s" $tag .component.values.gpu.imageTagSuffix -}}
{{- end -}}
{{- $registry := .root.Values.global.imageRegistry -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) $img.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" $img.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "tessera.topicPrefix" -}}
{{- .Values.kafka.topicPrefix -}}
{{- end -}}

{{/* Consumer group of a component's main input; KEDA measures lag on exactly this group. */}}
{{- define "tessera.consumerGroup" -}}
{{- printf "%stessera-%s" .root.Values.kafka.topicPrefix .component.name -}}
{{- end -}}

{{- define "tessera.kafkaUsesSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol -}}true{{- end -}}
{{- end -}}

{{- define "tessera.kafkaUsesTls" -}}
{{- if or (eq .Values.kafka.securityProtocol "SSL") (eq .Values.kafka.securityProtocol "SASL_SSL") -}}true{{- end -}}
{{- end -}}

{{/* Fails the render with a message naming the value to set, when a secured Kafka lacks its Secret. */}}
{{- define "tessera.validateValues" -}}
{{- if and (include "tessera.kafkaUsesSasl" .) (not .Values.kafka.sasl.existingSecret) -}}
{{- fail (printf "kafka.securityProtocol is %s: set kafka.sasl.existingSecret to a Secret with keys %s and %s" .Values.kafka.securityProtocol .Values.kafka.sasl.usernameKey .Values.kafka.sasl.passwordKey) -}}
{{- end -}}
{{- if and (include "tessera.kafkaUsesTls" .) (not .Values.kafka.tls.existingSecret) -}}
{{- fail (printf "kafka.securityProtocol is %s: set kafka.tls.existingSecret to a Secret with the broker CA under key %s" .Values.kafka.securityProtocol .Values.kafka.tls.caKey) -}}
{{- end -}}
{{- if and .Values.kafka.tls.clientCertKey (not .Values.kafka.tls.clientKeyKey) -}}
{{- fail "kafka.tls.clientCertKey is set: set kafka.tls.clientKeyKey to the key of the matching private key" -}}
{{- end -}}
{{- if and .Values.kafka.tls.clientCertKey (not (include "tessera.kafkaUsesTls" .)) -}}
{{- fail "kafka.tls.clientCertKey needs kafka.securityProtocol SSL or SASL_SSL" -}}
{{- end -}}
{{- if and (eq .Values.modelStore.type "pvc") (not .Values.modelStore.pvc.create) (not .Values.modelStore.pvc.existingClaim) -}}
{{- fail "modelStore.pvc.create is false: set modelStore.pvc.existingClaim to the claim holding the models" -}}
{{- end -}}
{{- if and (eq .Values.modelStore.type "s3") (not .Values.modelStore.s3.uri) -}}
{{- fail "modelStore.type is s3: set modelStore.s3.uri to s3://bucket/prefix/, where the trainer publishes model versions" -}}
{{- end -}}
{{- range $c := fromYamlArray (include "tessera.enabledComponents" .) -}}
{{- if and (eq $c.role "indexer") $c.values.autoscaling.enabled -}}
{{- $a := $c.values.autoscaling -}}
{{- if gt (int $a.minReplicas) (int $a.maxReplicas) -}}
{{- fail (printf "%s.autoscaling.minReplicas (%d) is above maxReplicas (%d)" $c.key (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- end -}}
{{- if and (eq (int $a.minReplicas) 0) (not $.Values.keda.enabled) -}}
{{- fail (printf "%s.autoscaling.minReplicas is 0: scaling to zero needs keda.enabled (a CPU HPA needs at least 1)" $c.key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and (has "file" .Values.fetch.allowedSchemes) (not .Values.fetch.mediaVolume.existingClaim) -}}
{{- fail "fetch.allowedSchemes has file: set fetch.mediaVolume.existingClaim, the volume file references point into" -}}
{{- end -}}
{{- end -}}

{{- define "tessera.modelStoreClaimName" -}}
{{- if .Values.modelStore.pvc.existingClaim -}}
{{- .Values.modelStore.pvc.existingClaim -}}
{{- else -}}
{{- printf "%s-model-store" (include "tessera.fullname" . | trunc 51 | trimSuffix "-") -}}
{{- end -}}
{{- end -}}

{{- define "tessera.trainerClaimName" -}}
{{- if .Values.trainer.persistence.existingClaim -}}
{{- .Values.trainer.persistence.existingClaim -}}
{{- else -}}
{{- printf "%s-trainer-work" (include "tessera.fullname" . | trunc 50 | trimSuffix "-") -}}
{{- end -}}
{{- end -}}

{{- define "tessera.stateDir" -}}/var/lib/tessera/state{{- end -}}

{{/* Whether a component loads models (and so gets the model store). */}}
{{- define "tessera.usesModels" -}}
{{- if has .component.role (list "indexer" "search" "trainer") -}}true{{- end -}}
{{- end -}}

{{- define "tessera.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/*
The environment of a component's container: exactly the keys of config-keys.yaml for that service
(a test enforces it). Entries that others expand with $(NAME) come before them. The service's env map
and extraEnv list are appended, and replace chart entries of the same name. dict root, component.
*/}}
{{- define "tessera.env" -}}
{{- $root := .root -}}
{{- $c := .component -}}
{{- $v := $c.values -}}
{{- $V := $root.Values -}}
{{- $role := $c.role -}}
{{- $port := int $v.service.port -}}
{{- $gpu := include "tessera.gpuEnabled" (dict "component" $c) -}}
{{- $env := list -}}
{{- /* runtime */ -}}
{{- $env = append $env (dict "name" "QUARKUS_PROFILE" "value" (toString $V.quarkusProfile)) -}}
{{- $env = append $env (dict "name" "QUARKUS_HTTP_HOST" "value" "0.0.0.0") -}}
{{- $env = append $env (dict "name" "QUARKUS_HTTP_PORT" "value" (toString $port)) -}}
{{- $env = append $env (dict "name" "QUARKUS_LOG_LEVEL" "value" (toString $V.logLevel)) -}}
{{- $javaOpts := "-Djava.io.tmpdir=/tmp -Duser.home=/tmp -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp -Djna.tmpdir=/tmp/jna" -}}
{{- if $v.javaOpts -}}{{- $javaOpts = printf "%s %s" $javaOpts $v.javaOpts -}}{{- end -}}
{{- $env = append $env (dict "name" "JAVA_OPTS_APPEND" "value" $javaOpts) -}}
{{- /* kafka: the bootstrap servers and topic prefix every service reads */ -}}
{{- $env = append $env (dict "name" "KAFKA_BOOTSTRAP_SERVERS" "value" (toString $V.kafka.bootstrapServers)) -}}
{{- if $V.kafka.topicPrefix -}}
{{- $env = append $env (dict "name" "TESSERA_TOPICS_PREFIX" "value" (toString $V.kafka.topicPrefix)) -}}
{{- end -}}
{{- /* kafka security: the kafka.* settings (KAFKA_*) that every service's every client reads (KafkaConnection) */ -}}
{{- if has $role (list "trainer" "catalog" "indexer" "search") -}}
{{- $p := "KAFKA_" -}}
{{- $env = append $env (dict "name" (printf "%sSECURITY_PROTOCOL" $p) "value" (toString $V.kafka.securityProtocol)) -}}
{{- if include "tessera.kafkaUsesSasl" $root -}}
{{- $sasl := $V.kafka.sasl -}}
{{- $env = append $env (dict "name" "TESSERA_KAFKA_SASL_USERNAME" "valueFrom" (dict "secretKeyRef" (dict "name" $sasl.existingSecret "key" $sasl.usernameKey))) -}}
{{- $env = append $env (dict "name" "TESSERA_KAFKA_SASL_PASSWORD" "valueFrom" (dict "secretKeyRef" (dict "name" $sasl.existingSecret "key" $sasl.passwordKey))) -}}
{{- $env = append $env (dict "name" (printf "%sSASL_MECHANISM" $p) "value" $sasl.mechanism) -}}
{{- $module := "org.apache.kafka.common.security.scram.ScramLoginModule" -}}
{{- if eq $sasl.mechanism "PLAIN" -}}{{- $module = "org.apache.kafka.common.security.plain.PlainLoginModule" -}}{{- end -}}
{{- $env = append $env (dict "name" (printf "%sSASL_JAAS_CONFIG" $p) "value" (printf "%s required username=\"$(TESSERA_KAFKA_SASL_USERNAME)\" password=\"$(TESSERA_KAFKA_SASL_PASSWORD)\";" $module)) -}}
{{- end -}}
{{- if include "tessera.kafkaUsesTls" $root -}}
{{- $tls := $V.kafka.tls -}}
{{- $env = append $env (dict "name" (printf "%sSSL_TRUSTSTORE_TYPE" $p) "value" "PEM") -}}
{{- $env = append $env (dict "name" (printf "%sSSL_TRUSTSTORE_CERTIFICATES" $p) "valueFrom" (dict "secretKeyRef" (dict "name" $tls.existingSecret "key" $tls.caKey))) -}}
{{- if $tls.clientCertKey -}}
{{- $env = append $env (dict "name" (printf "%sSSL_KEYSTORE_TYPE" $p) "value" "PEM") -}}
{{- $env = append $env (dict "name" (printf "%sSSL_KEYSTORE_CERTIFICATE_CHAIN" $p) "valueFrom" (dict "secretKeyRef" (dict "name" $tls.existingSecret "key" $tls.clientCertKey))) -}}
{{- $env = append $env (dict "name" (printf "%sSSL_KEYSTORE_KEY" $p) "valueFrom" (dict "secretKeyRef" (dict "name" $tls.existingSecret "key" $tls.clientKeyKey))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* schema registry */ -}}
{{- $env = append $env (dict "name" "TESSERA_REGISTRY_URL" "value" (toString $V.schemaRegistry.url)) -}}
{{- if has $role (list "catalog" "indexer") -}}
{{- $env = append $env (dict "name" "TESSERA_REGISTRY_AUTO_REGISTER" "value" (toString $V.schemaRegistry.autoRegister)) -}}
{{- end -}}
{{- if eq $role "trainer" -}}
{{- $env = append $env (dict "name" "TESSERA_AUTO_REGISTER_SCHEMAS" "value" (toString $V.schemaRegistry.autoRegister)) -}}
{{- end -}}
{{- if and (eq $role "indexer") $V.schemaRegistry.auth.existingSecret -}}
{{- with $V.schemaRegistry.auth -}}
{{- $env = append $env (dict "name" "TESSERA_REGISTRY_USERNAME" "valueFrom" (dict "secretKeyRef" (dict "name" .existingSecret "key" .usernameKey))) -}}
{{- $env = append $env (dict "name" "TESSERA_REGISTRY_PASSWORD" "valueFrom" (dict "secretKeyRef" (dict "name" .existingSecret "key" .passwordKey))) -}}
{{- $env = append $env (dict "name" "TESSERA_REGISTRY_BASIC_AUTH_USER_INFO" "value" "$(TESSERA_REGISTRY_USERNAME):$(TESSERA_REGISTRY_PASSWORD)") -}}
{{- end -}}
{{- end -}}
{{- /* milvus: indexers and search-api */ -}}
{{- if has $role (list "indexer" "search") -}}
{{- $env = append $env (dict "name" "TESSERA_MILVUS_URI" "value" (toString $V.milvus.uri)) -}}
{{- if $V.milvus.token.existingSecret -}}
{{- $env = append $env (dict "name" "TESSERA_MILVUS_TOKEN" "valueFrom" (dict "secretKeyRef" (dict "name" $V.milvus.token.existingSecret "key" $V.milvus.token.key))) -}}
{{- end -}}
{{- if $V.milvus.database -}}
{{- $env = append $env (dict "name" "TESSERA_MILVUS_DATABASE" "value" (toString $V.milvus.database)) -}}
{{- end -}}
{{- if $V.milvus.collectionPrefix -}}
{{- $env = append $env (dict "name" "TESSERA_MILVUS_COLLECTION_PREFIX" "value" (toString $V.milvus.collectionPrefix)) -}}
{{- end -}}
{{- end -}}
{{- /* model, model store, embedding: the same keys in every service that reads them */ -}}
{{- $modelsDir := toString $V.modelStore.pvc.mountPath -}}
{{- $modelsS3 := eq (toString $V.modelStore.type) "s3" -}}
{{- $device := "CPU" -}}
{{- if $gpu -}}{{- $device = "CUDA" -}}{{- end -}}
{{- $batch := "" -}}
{{- if $v.embedding -}}{{- $batch = toString (int $v.embedding.batchSize) -}}{{- end -}}
{{- if eq $role "indexer" -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_NAME" "value" (toString $V.model.name)) -}}
{{- $env = append $env (dict "name" "TESSERA_MODELS_DIR" "value" $modelsDir) -}}
{{- $env = append $env (dict "name" "TESSERA_EMBEDDING_DEVICE" "value" $device) -}}
{{- $env = append $env (dict "name" "TESSERA_EMBEDDING_BATCH_SIZE" "value" $batch) -}}
{{- if and $v.embedding $v.embedding.batchWorkers -}}
{{- $env = append $env (dict "name" "TESSERA_EMBEDDING_BATCH_WORKERS" "value" (toString (int $v.embedding.batchWorkers))) -}}
{{- end -}}
{{- $env = append $env (dict "name" "TESSERA_KAFKA_GROUP_ID" "value" (include "tessera.consumerGroup" (dict "root" $root "component" $c))) -}}
{{- end -}}
{{- if eq $role "search" -}}
{{- $env = append $env (dict "name" "TESSERA_MODELS_DIR" "value" $modelsDir) -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_NAME" "value" (toString $V.model.name)) -}}
{{- $env = append $env (dict "name" "TESSERA_EMBEDDING_DEVICE" "value" $device) -}}
{{- $env = append $env (dict "name" "TESSERA_EMBEDDING_BATCH_SIZE" "value" $batch) -}}
{{- end -}}
{{- if eq $role "trainer" -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_NAME" "value" (toString $V.model.name)) -}}
{{- if $modelsS3 -}}
{{- /* Versions are written on the trainer's own volume, then uploaded: no shared volume. */ -}}
{{- $env = append $env (dict "name" "TESSERA_MODELS_DIR" "value" (printf "%s/models" (toString $v.persistence.mountPath))) -}}
{{- else -}}
{{- $env = append $env (dict "name" "TESSERA_MODELS_DIR" "value" $modelsDir) -}}
{{- end -}}
{{- $env = append $env (dict "name" "TESSERA_TRAINER_DATA_DIR" "value" (toString $v.persistence.mountPath)) -}}
{{- $env = append $env (dict "name" "TESSERA_TRAINER_GROUP_ID" "value" (include "tessera.consumerGroup" (dict "root" $root "component" $c))) -}}
{{- $env = append $env (dict "name" "TESSERA_TRAINER_RECIPE_BATCH_SIZE" "value" $batch) -}}
{{- end -}}
{{- if and $modelsS3 (has $role (list "indexer" "search" "trainer")) -}}
{{- with $V.modelStore.s3 -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_STORE_URI" "value" (toString .uri)) -}}
{{- if .endpoint -}}{{- $env = append $env (dict "name" "TESSERA_MODEL_STORE_S3_ENDPOINT" "value" (toString .endpoint)) -}}{{- end -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_STORE_S3_REGION" "value" (toString .region)) -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_STORE_S3_PATH_STYLE" "value" (toString .pathStyle)) -}}
{{- if .existingSecret -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_STORE_S3_ACCESS_KEY" "valueFrom" (dict "secretKeyRef" (dict "name" .existingSecret "key" .accessKeyKey))) -}}
{{- $env = append $env (dict "name" "TESSERA_MODEL_STORE_S3_SECRET_KEY" "valueFrom" (dict "secretKeyRef" (dict "name" .existingSecret "key" .secretKeyKey))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if has $role (list "indexer" "search" "trainer") -}}
{{- $env = append $env (dict "name" "ORT_DISABLE_TELEMETRY" "value" "1") -}}
{{- $env = append $env (dict "name" "OPT_OUT_TRACKING" "value" "true") -}}
{{- $env = append $env (dict "name" "DJL_CACHE_DIR" "value" "/tmp/djl") -}}
{{- end -}}
{{- /* content fetching: tessera.fetch.* (and tessera.limits.max-bytes), the same keys for the indexers, search-api and the trainer */ -}}
{{- $fetchKeys := dict "indexer" (dict "hosts" "TESSERA_FETCH_ALLOWED_HOSTS" "roots" "TESSERA_FETCH_FILE_ROOTS" "bytes" "TESSERA_LIMITS_MAX_BYTES") "search" (dict "hosts" "TESSERA_FETCH_ALLOWED_HOSTS" "roots" "TESSERA_FETCH_FILE_ROOTS") "trainer" (dict "hosts" "TESSERA_FETCH_ALLOWED_HOSTS" "roots" "TESSERA_FETCH_FILE_ROOTS" "bytes" "TESSERA_LIMITS_MAX_BYTES") -}}
{{- if hasKey $fetchKeys $role -}}
{{- $k := get $fetchKeys $role -}}
{{- with $V.fetch -}}
{{- if and (eq $role "indexer") .allowedSchemes -}}{{- $env = append $env (dict "name" "TESSERA_FETCH_ALLOWED_SCHEMES" "value" (join "," .allowedSchemes)) -}}{{- end -}}
{{- if .allowedHosts -}}{{- $env = append $env (dict "name" $k.hosts "value" (join "," .allowedHosts)) -}}{{- end -}}
{{- if .mediaVolume.existingClaim -}}{{- $env = append $env (dict "name" $k.roots "value" (toString .mediaVolume.mountPath)) -}}{{- end -}}
{{- if and $k.bytes (gt (int64 .maxBytes) 0) -}}{{- $env = append $env (dict "name" $k.bytes "value" (toString (int64 .maxBytes))) -}}{{- end -}}
{{- /* s3:// media under the same keys: the indexers read it, search-api serves its content and thumbnails */ -}}
{{- if and (has $role (list "indexer" "search")) .s3.buckets -}}
{{- $env = append $env (dict "name" "TESSERA_FETCH_S3_BUCKETS" "value" (join "," .s3.buckets)) -}}
{{- if .s3.endpoint -}}{{- $env = append $env (dict "name" "TESSERA_FETCH_S3_ENDPOINT" "value" (toString .s3.endpoint)) -}}{{- end -}}
{{- $env = append $env (dict "name" "TESSERA_FETCH_S3_REGION" "value" (toString .s3.region)) -}}
{{- $env = append $env (dict "name" "TESSERA_FETCH_S3_PATH_STYLE" "value" (toString .s3.pathStyle)) -}}
{{- if .s3.existingSecret -}}
{{- $env = append $env (dict "name" "TESSERA_FETCH_S3_ACCESS_KEY" "valueFrom" (dict "secretKeyRef" (dict "name" .s3.existingSecret "key" .s3.accessKeyKey))) -}}
{{- $env = append $env (dict "name" "TESSERA_FETCH_S3_SECRET_KEY" "valueFrom" (dict "secretKeyRef" (dict "name" .s3.existingSecret "key" .s3.secretKeyKey))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* per role */ -}}
{{- if eq $role "catalog" -}}
{{- $env = append $env (dict "name" "TESSERA_POD_IP" "valueFrom" (dict "fieldRef" (dict "apiVersion" "v1" "fieldPath" "status.podIP"))) -}}
{{- $env = append $env (dict "name" "QUARKUS_KAFKA_STREAMS_APPLICATION_SERVER" "value" (printf "$(TESSERA_POD_IP):%d" $port)) -}}
{{- $env = append $env (dict "name" "TESSERA_STATE_DIR" "value" (include "tessera.stateDir" $root)) -}}
{{- end -}}
{{- if eq $role "search" -}}
{{- with $v.signing -}}
{{- if .existingSecret -}}
{{- $env = append $env (dict "name" "TESSERA_SEARCH_CURSOR_SECRET" "valueFrom" (dict "secretKeyRef" (dict "name" .existingSecret "key" .cursorSecretKey))) -}}
{{- $env = append $env (dict "name" "TESSERA_SEARCH_CONTENT_LINK_SECRET" "valueFrom" (dict "secretKeyRef" (dict "name" .existingSecret "key" .linkSecretKey))) -}}
{{- end -}}
{{- end -}}
{{- if $V.mediaCatalog.enabled -}}
{{- $catalog := dict "name" "media-catalog" -}}
{{- $env = append $env (dict "name" "TESSERA_SEARCH_CATALOG_URL" "value" (printf "http://%s:%d" (include "tessera.componentFullname" (dict "root" $root "component" $catalog)) (int $V.mediaCatalog.service.port))) -}}
{{- end -}}
{{- end -}}
{{- /* the service's own env map and extraEnv list replace chart entries of the same name */ -}}
{{- $overridden := dict -}}
{{- range $name, $_ := $v.env -}}{{- $_ := set $overridden $name true -}}{{- end -}}
{{- range $v.extraEnv -}}{{- $_ := set $overridden .name true -}}{{- end -}}
{{- $out := list -}}
{{- range $env -}}
{{- if not (hasKey $overridden .name) -}}{{- $out = append $out . -}}{{- end -}}
{{- end -}}
{{- range $name := keys $v.env | sortAlpha -}}
{{- $out = append $out (dict "name" $name "value" (toString (index $v.env $name))) -}}
{{- end -}}
{{- range $v.extraEnv -}}{{- $out = append $out . -}}{{- end -}}
{{- toYaml $out -}}
{{- end -}}
