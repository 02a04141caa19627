{{- /* Names. fullname is cut at 52 characters so "-refresh" and CronJob suffixes stay under 63. */ -}}
{{- define "registry-hook.name" -}}
{{- /* An alias such as registryHook is a valid chart name but not a valid object name. */ -}}
{{- default (.Chart.Name | kebabcase) .Values.nameOverride | trunc 52 | trimSuffix "-" }}
{{- end }}

{{- define "registry-hook.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else if contains (include "registry-hook.name" .) .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "registry-hook.name" .) | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "registry-hook.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "registry-hook.fullname" .) }}
{{- end }}

{{- /* The standard labels, and the subset that selects. */ -}}
{{- define "registry-hook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "registry-hook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "registry-hook.labels" -}}
{{ include "registry-hook.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: binderhub
{{- end }}

{{- /*
  Hook annotations: created before the Job in weight order (ConfigMap -30,
  ServiceAccount -20, Role/RoleBinding -10, Job 0), replaced on every upgrade.
  Usage: include "registry-hook.hook" (list . -20)
*/ -}}
{{- define "registry-hook.hook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ index . 1 | quote }}
helm.sh/hook-delete-policy: before-hook-creation
{{- end }}

{{- /* "true" when the refresh CronJob runs: see refresh.enabled in values.schema.yaml. */ -}}
{{- define "registry-hook.refreshEnabled" -}}
{{- $enabled := toString .Values.refresh.enabled }}
{{- /* The scheduled check runs for every provider and mode unless turned off; `auto` only picks its schedule. */}}
{{- if ne $enabled "false" }}true{{ end }}
{{- end }}

{{- /* Short-lived logins: every 6 hours (Google access tokens: 30 minutes); long-lived credentials: daily. */ -}}
{{- define "registry-hook.refreshSchedule" -}}
{{- $type := .Values.registry.type | default "" }}
{{- $static := dig "credentials" "existingSecret" "" .Values.registry }}
{{- if .Values.refresh.schedule }}{{ .Values.refresh.schedule }}
{{- else if and (eq $type "google") (not $static) }}*/30 * * * *
{{- else if or (eq $type "ecr") (and (eq $type "azure") (not $static)) }}0 */6 * * *
{{- else }}30 4 * * *
{{- end }}
{{- end }}

{{- /*
  The hook's image: repository@digest when image.digest is set, else repository:tag
  (tag default: the chart's appVersion). An empty repository fails the render in one line
  instead of rendering a pod that can never pull.
*/ -}}
{{- define "registry-hook.image" -}}
{{- $image := .Values.image }}
{{- if not $image.repository }}
{{- fail "image.repository is empty: set it to the hook's image (the published default, or where you pushed your own build)" }}
{{- end }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $image.repository ($image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{- /*
  The hook's pod spec, shared by the Job, the CronJob and the test pod.
  Usage: include "registry-hook.podSpec" (dict "root" $ "args" (list "apply" ...) "output" bool)
  output: mount the written Secret at /etc/registry-hook/output (the test pod).
*/ -}}
{{- define "registry-hook.podSpec" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $existing := dig "credentials" "existingSecret" "" $v.registry -}}
serviceAccountName: {{ include "registry-hook.serviceAccountName" $root }}
automountServiceAccountToken: true
restartPolicy: Never
enableServiceLinks: false
{{- with $v.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ $v.job.runAsUser }}
  runAsGroup: {{ $v.job.runAsUser }}
  fsGroup: {{ $v.job.runAsUser }}
  seccompProfile:
    type: RuntimeDefault
{{- with $v.job.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.job.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: hook
    image: {{ include "registry-hook.image" $root | quote }}
    {{- with $v.image.pullPolicy }}
    imagePullPolicy: {{ . }}
    {{- end }}
    args:
      {{- range .args }}
      - {{ . | quote }}
      {{- end }}
      - -f
      - /etc/registry-hook/values.yaml
      {{- if $existing }}
      - --credentials
      - /etc/registry-hook/credentials
      {{- end }}
      {{- if eq $v.log.level "debug" }}
      - -vv
      {{- else if eq $v.log.level "info" }}
      - -v
      {{- else if eq $v.log.level "error" }}
      - -q
      {{- end }}
      - --log-format
      - {{ $v.log.format }}
    env:
      - name: POD_NAMESPACE
        valueFrom:
          fieldRef:
            fieldPath: metadata.namespace
      - name: HOME
        value: /tmp
    securityContext:
      runAsNonRoot: true
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: [ALL]
      seccompProfile:
        type: RuntimeDefault
    {{- with $v.job.resources }}
    resources:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    volumeMounts:
      - name: config
        mountPath: /etc/registry-hook/values.yaml
        subPath: values.yaml
        readOnly: true
      {{- if $existing }}
      - name: credentials
        mountPath: /etc/registry-hook/credentials
        readOnly: true
      {{- end }}
      {{- if .output }}
      - name: output
        mountPath: /etc/registry-hook/output
        readOnly: true
      {{- end }}
      - name: tmp
        mountPath: /tmp
volumes:
  - name: config
    configMap:
      name: {{ include "registry-hook.fullname" $root }}
  {{- if $existing }}
  - name: credentials
    secret:
      secretName: {{ $existing }}
  {{- end }}
  {{- if .output }}
  - name: output
    secret:
      secretName: {{ $v.output.secretName }}
      items:
        - key: config.json
          path: config.json
  {{- end }}
  - name: tmp
    emptyDir:
      sizeLimit: 16Mi
{{- end }}

{{- /* Labels and annotations of the hook's pods. */ -}}
{{- define "registry-hook.podMetadata" -}}
labels:
  {{- include "registry-hook.selectorLabels" . | nindent 2 }}
  {{- if hasKey .Values.serviceAccount.annotations "azure.workload.identity/client-id" }}
  azure.workload.identity/use: "true"
  {{- end }}
  {{- with .Values.job.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
  {{- with .Values.job.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}

{{- /* The arguments shared by `apply` and `refresh`. */ -}}
{{- define "registry-hook.sinkArgs" -}}
{{- $list := list "--secret-name" .Values.output.secretName "--binder-deployment" .Values.output.binderDeployment "--label" (printf "app.kubernetes.io/instance=%s" .Release.Name) "--label" "app.kubernetes.io/part-of=binderhub" }}
{{- toJson $list }}
{{- end }}
