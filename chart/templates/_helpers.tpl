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

{{- /* The install-time identity: the hook Job's ServiceAccount (a hook, deleted when done). */ -}}
{{- define "registry-hook.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "registry-hook.fullname" .) }}
{{- end }}

{{- /* The refresh identity: the CronJob's and the test pod's (an ordinary release object). */ -}}
{{- define "registry-hook.refreshServiceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- printf "%s-refresh" (include "registry-hook.serviceAccountName" .) | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- include "registry-hook.serviceAccountName" . }}
{{- end }}
{{- end }}

{{- /*
  What the hook may do in the namespace, for both identities. Kubernetes cannot limit
  `create` by name (the name is not known when the request is authorized), so `create` on
  Secrets is the one rule without resourceNames, unless output.preCreated drops it; the
  admission policy (admission-policy.yaml) narrows it to the output name and type.
*/ -}}
{{- define "registry-hook.rules" -}}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, update]
  resourceNames: [{{ .Values.output.secretName | quote }}]
{{- if not .Values.output.preCreated }}
- apiGroups: [""]
  resources: [secrets]
  verbs: [create]
{{- end }}
{{- with .Values.output.binderDeployment }}
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, patch]
  resourceNames: [{{ . | quote }}]
{{- end }}
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end }}

{{- /*
  Hook annotations of the install-time identity (ServiceAccount, Role, RoleBinding,
  admission policy): created before the Job, deleted as soon as the Job is done, whether
  it succeeded or failed, so no permission outlives the install.
  Usage: include "registry-hook.identityHook" (list . -20)
*/ -}}
{{- define "registry-hook.identityHook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ index . 1 | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded,hook-failed
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
  ServiceAccount -20, admission policy -15, Role/RoleBinding -10, Job 0), replaced on every
  upgrade. The identity's objects use registry-hook.identityHook (deleted when done).
  Usage: include "registry-hook.hook" (list . -20)
*/ -}}
{{- define "registry-hook.hook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ index . 1 | quote }}
helm.sh/hook-delete-policy: before-hook-creation
{{- end }}

{{- /*
  "true" when the refresh CronJob runs: see refresh.enabled in values.schema.yaml. The
  Job is told with --refresher-enabled whether it runs, and `apply` refuses expiring
  credentials without one. `expiringCredentials` guesses from the values whether the
  provider issues credentials that expire, only to pick the schedule (tests/test_chart.py
  checks the guess against what each provider's code issues).
*/ -}}
{{- define "registry-hook.refreshEnabled" -}}
{{- $enabled := toString .Values.refresh.enabled }}
{{- /* The scheduled check runs for every provider and mode unless turned off; `auto` only picks its schedule. */}}
{{- if ne $enabled "false" }}true{{ end }}
{{- end }}

{{- /* "true" when the provider will issue expiring credentials for these values. */ -}}
{{- define "registry-hook.expiringCredentials" -}}
{{- $r := .Values.registry }}
{{- $type := $r.type | default "" }}
{{- $static := dig "credentials" "existingSecret" "" $r }}
{{- $validate := ne ($r.mode | default "validate") "provision" }}
{{- if eq $type "ecr" }}true
{{- /* Google: an access token of the pod's identity (1 h); keys, provisioned or given, do not expire. */}}
{{- else if and (eq $type "google") $validate }}
{{- $auth := dig "google" "auth" "auto" $r }}
{{- if or (eq $auth "workloadIdentity") (and (eq $auth "auto") (not $static)) }}true{{ end }}
{{- /* Azure: an ACR refresh token (~3 h) for workload identity, or a service principal with
       dockerLogin: refreshToken; a client secret or an ACR token (provisioned or given) is long-lived. */}}
{{- else if and (eq $type "azure") $validate }}
{{- $auth := dig "azure" "auth" "servicePrincipal" $r }}
{{- if or (eq $auth "workloadIdentity") (and (eq $auth "servicePrincipal") (eq (dig "azure" "dockerLogin" "clientSecret" $r) "refreshToken")) }}true{{ end }}
{{- end }}
{{- end }}

{{- /* Expiring logins: every 6 hours (Google access tokens: 30 minutes); long-lived credentials: daily. */ -}}
{{- define "registry-hook.refreshSchedule" -}}
{{- $type := .Values.registry.type | default "" }}
{{- if .Values.refresh.schedule }}{{ .Values.refresh.schedule }}
{{- else if and (eq $type "google") (include "registry-hook.expiringCredentials" .) }}*/30 * * * *
{{- else if include "registry-hook.expiringCredentials" . }}0 */6 * * *
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
  Usage: include "registry-hook.podSpec" (dict "root" $ "args" (list "apply" ...) "identity" "install" "output" bool)
  identity: install (the Job), refresh (the CronJob) or test (the test pod: refresh's
  ServiceAccount, no Kubernetes token).
  output: mount the written Secret at /etc/registry-hook/output (the test pod).
*/ -}}
{{- define "registry-hook.podSpec" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $existing := dig "credentials" "existingSecret" "" $v.registry -}}
{{- if eq .identity "install" }}
serviceAccountName: {{ include "registry-hook.serviceAccountName" $root }}
{{- else }}
serviceAccountName: {{ include "registry-hook.refreshServiceAccountName" $root }}
{{- end }}
{{- /* The test pod talks to no Kubernetes API: it gets no token (cloud identity still works). */}}
automountServiceAccountToken: {{ ne .identity "test" }}
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
      {{- with $v.job.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
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
{{- if include "registry-hook.refreshEnabled" . }}
{{- $list = append $list "--refresher-enabled" }}
{{- end }}
{{- toJson $list }}
{{- end }}
