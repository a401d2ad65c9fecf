package io.faaspot.scheduler.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.scheduler.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllocateAddressRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateRequest;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateVersionRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * docs/iam-policy.json, the server's AWS rights, against what the provider really calls: every flow
 * runs once against moto while an SDK interceptor records each EC2 operation and request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2IamPolicyTest {
  static final Path POLICY = Path.of("../docs/iam-policy.json");
  static final String CLUSTER_TAG = "faaspot:cluster";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  /**
   * Statements that change something without a condition on the cluster tag, and why they cannot
   * have one. Each must still name its resources.
   */
  static final Map<String, String> UNTAGGED =
      Map.of(
          "LaunchWithTheOperatorsImageNetworkAndKey",
          "a launch reads the operator's AMI, snapshots, subnets, security groups and key pair;"
              + " the server neither owns nor changes them, and they carry no tag of ours",
          "PassTheSpotsRole",
          "an IAM role has no EC2 tag: scoped to the one role's ARN and to EC2 as its receiver",
          "CreateTheSpotServiceLinkedRoleOnce",
          "the Spot service-linked role is AWS's, made once per account: scoped to its ARN and"
              + " service name");

  final List<SdkRequest> requests = new CopyOnWriteArrayList<>();
  final Set<String> operations = new ConcurrentSkipListSet<>();
  final ExecutionInterceptor recorder =
      new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes a) {
          operations.add(a.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
          requests.add(context.request());
        }
      };

  Ec2Client ec2;
  String cluster;
  String image;

  @BeforeAll
  void runEveryFlowOnce() throws Exception {
    ec2 =
        Ec2Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(MotoServer.endpoint())
            .credentialsProvider(CREDENTIALS)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    cluster = "policy-" + UUID.randomUUID().toString().substring(0, 8);
    image = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
    runEveryFlow();
  }

  @AfterAll
  void tearDown() {
    ec2.close();
  }

  Ec2SpotProvider provider(String imageId) {
    return new Ec2SpotProvider(
        new Ec2Settings(
            cluster,
            "us-east-1",
            MotoServer.endpoint(),
            imageId,
            List.of("t3.micro", "t3a.micro"),
            List.of(),
            List.of(),
            null,
            null,
            false),
        CREDENTIALS,
        Clock.systemUTC(),
        List.of(recorder));
  }

  /** Launch, list, new address twice, a configuration change, replace, terminate. */
  void runEveryFlow() throws Exception {
    try (Ec2SpotProvider provider = provider(image)) {
      var request =
          new SpotProvider.LaunchRequest(
              UUID.randomUUID(), 7, "fsr_policy", "http://127.0.0.1:8080", null, Set.of());
      String first = provider.launch(request).instanceId();
      provider.instances();
      provider.isAlive(first);
      provider.refreshIp(first);
      provider.refreshIp(first);
      String replacement =
          provider
              .launch(
                  new SpotProvider.LaunchRequest(
                      UUID.randomUUID(), 7, "fsr_policy2", "http://127.0.0.1:8080", null, Set.of()))
              .instanceId();
      provider.terminate(first);
      provider.terminate(replacement);
    }
    String otherImage = ec2.describeImages(b -> b.owners("amazon")).images().get(1).imageId();
    try (Ec2SpotProvider changed = provider(otherImage)) {
      changed.ensureTemplate();
    }
  }

  static JsonNode policy() throws Exception {
    return JsonNode.parser().parse(Files.readString(POLICY));
  }

  static List<String> strings(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    return node.isArray()
        ? node.asArray().stream().map(JsonNode::asString).toList()
        : List.of(node.asString());
  }

  static List<Map<String, JsonNode>> statements() throws Exception {
    return policy().field("Statement").orElseThrow().asArray().stream()
        .map(JsonNode::asObject)
        .toList();
  }

  static boolean readOnly(String action) {
    String name = action.substring(action.indexOf(':') + 1);
    return name.startsWith("Describe") || name.startsWith("Get") || name.startsWith("List");
  }

  /** The condition keys, e.g. {@code aws:ResourceTag/faaspot:cluster}, and their values. */
  static Map<String, List<String>> conditions(Map<String, JsonNode> statement) {
    JsonNode condition = statement.get("Condition");
    if (condition == null) {
      return Map.of();
    }
    return condition.asObject().values().stream()
        .flatMap(operator -> operator.asObject().entrySet().stream())
        .collect(Collectors.toMap(Map.Entry::getKey, e -> strings(e.getValue())));
  }

  static boolean tagScoped(Map<String, JsonNode> statement) {
    var c = conditions(statement);
    return List.of("${CLUSTER}").equals(c.get("aws:ResourceTag/" + CLUSTER_TAG))
        || List.of("${CLUSTER}").equals(c.get("aws:RequestTag/" + CLUSTER_TAG));
  }

  @Test
  void thePolicyIsJsonWithOneAllowStatementPerSid() throws Exception {
    JsonNode policy = policy();

    assertThat(policy.field("Version").orElseThrow().asString()).isEqualTo("2012-10-17");
    var sids = statements().stream().map(s -> s.get("Sid").asString()).toList();
    assertThat(sids).doesNotHaveDuplicates().hasSizeGreaterThan(5);
    assertThat(statements())
        .allSatisfy(s -> assertThat(s.get("Effect").asString()).isEqualTo("Allow"));
  }

  @Test
  void everyEc2OperationTheProviderCallsIsAllowedAndEveryChangeOnlyOnTaggedResources()
      throws Exception {

    Set<String> allowed = new TreeSet<>();
    Set<String> allowedWithTag = new TreeSet<>();
    for (var s : statements()) {
      allowed.addAll(strings(s.get("Action")));
      if (tagScoped(s)) {
        allowedWithTag.addAll(strings(s.get("Action")));
      }
    }
    Set<String> called =
        operations.stream().map(o -> "ec2:" + o).collect(Collectors.toCollection(TreeSet::new));
    assertThat(called)
        .as("the flows ran")
        .contains(
            "ec2:CreateLaunchTemplate",
            "ec2:CreateLaunchTemplateVersion",
            "ec2:ModifyLaunchTemplate",
            "ec2:DeleteLaunchTemplateVersions",
            "ec2:CreateFleet",
            "ec2:AllocateAddress",
            "ec2:AssociateAddress",
            "ec2:DisassociateAddress",
            "ec2:ReleaseAddress",
            "ec2:TerminateInstances");
    assertThat(called).as("called but not in the policy").isSubsetOf(allowed);
    assertThat(called.stream().filter(a -> !readOnly(a)).toList())
        .as("changes allowed only without a condition on the cluster tag")
        .isSubsetOf(allowedWithTag);
    assertThat(called).as("tags are set when a resource is made").doesNotContain("ec2:CreateTags");
  }

  @Test
  void everyStatementThatChangesSomethingIsScopedByTheClusterTagOrSaysWhyNot() throws Exception {
    for (var s : statements()) {
      String sid = s.get("Sid").asString();
      List<String> actions = strings(s.get("Action"));
      if (actions.stream().allMatch(Ec2IamPolicyTest::readOnly)) {
        continue;
      }
      if (UNTAGGED.containsKey(sid)) {
        assertThat(tagScoped(s)).as(sid + " is listed as untagged but is tagged").isFalse();
        assertThat(strings(s.get("Resource"))).as(sid).isNotEmpty().doesNotContain("*");
      } else {
        assertThat(tagScoped(s))
            .as(sid + " changes " + actions + " without a condition on " + CLUSTER_TAG)
            .isTrue();
      }
    }
    assertThat(statements().stream().map(s -> s.get("Sid").asString()).toList())
        .as("every exemption names a statement")
        .containsAll(UNTAGGED.keySet());
  }

  @Test
  void tagsOnlyWhatItCreatesAndOnlyInTheRequestThatCreatesIt() throws Exception {
    var createTags =
        statements().stream()
            .filter(s -> strings(s.get("Action")).contains("ec2:CreateTags"))
            .toList();

    assertThat(createTags).hasSize(1);
    assertThat(conditions(createTags.getFirst()).get("ec2:CreateAction"))
        .containsExactlyInAnyOrder(
            "CreateFleet", "RunInstances", "CreateLaunchTemplate", "AllocateAddress");
  }

  static boolean clusterTagged(List<Tag> tags, String cluster) {
    return tags.contains(Tag.builder().key(CLUSTER_TAG).value(cluster).build());
  }

  static Set<ResourceType> taggedTypes(List<TagSpecification> specs, String cluster) {
    return specs.stream()
        .filter(s -> clusterTagged(s.tags(), cluster))
        .map(TagSpecification::resourceType)
        .collect(Collectors.toSet());
  }

  static Set<ResourceType> taggedTemplateTypes(
      List<LaunchTemplateTagSpecificationRequest> specs, String cluster) {
    return specs.stream()
        .filter(s -> clusterTagged(s.tags(), cluster))
        .map(LaunchTemplateTagSpecificationRequest::resourceType)
        .collect(Collectors.toSet());
  }

  @Test
  void everythingTheProviderCreatesCarriesTheClusterTagFromItsCreatingRequest() {

    var fleets = requests.stream().filter(CreateFleetRequest.class::isInstance).toList();
    assertThat(fleets).hasSize(2);
    for (var r : fleets) {
      assertThat(taggedTypes(((CreateFleetRequest) r).tagSpecifications(), cluster))
          .contains(ResourceType.FLEET, ResourceType.INSTANCE, ResourceType.VOLUME);
    }
    var templates =
        requests.stream().filter(CreateLaunchTemplateRequest.class::isInstance).toList();
    assertThat(templates).hasSize(1);
    var template = (CreateLaunchTemplateRequest) templates.getFirst();
    assertThat(taggedTypes(template.tagSpecifications(), cluster))
        .contains(ResourceType.LAUNCH_TEMPLATE);
    // What a launch makes besides the fleet, instance and volumes takes its tags from the template.
    assertThat(taggedTemplateTypes(template.launchTemplateData().tagSpecifications(), cluster))
        .contains(ResourceType.NETWORK_INTERFACE, ResourceType.SPOT_INSTANCES_REQUEST);
    var versions =
        requests.stream().filter(CreateLaunchTemplateVersionRequest.class::isInstance).toList();
    assertThat(versions).hasSizeGreaterThanOrEqualTo(3);
    for (var r : versions) {
      assertThat(
              taggedTemplateTypes(
                  ((CreateLaunchTemplateVersionRequest) r).launchTemplateData().tagSpecifications(),
                  cluster))
          .contains(ResourceType.NETWORK_INTERFACE, ResourceType.SPOT_INSTANCES_REQUEST);
    }
    var addresses = requests.stream().filter(AllocateAddressRequest.class::isInstance).toList();
    assertThat(addresses).hasSize(2);
    for (var r : addresses) {
      assertThat(taggedTypes(((AllocateAddressRequest) r).tagSpecifications(), cluster))
          .contains(ResourceType.ELASTIC_IP);
    }
    // And what the emulator made of them.
    assertThat(
            ec2.describeFleets(b -> b.filters(f -> f.name("tag:" + CLUSTER_TAG).values(cluster)))
                .fleets())
        .hasSize(2);
    assertThat(
            ec2.describeLaunchTemplates(
                    b -> b.filters(f -> f.name("tag:" + CLUSTER_TAG).values(cluster)))
                .launchTemplates())
        .hasSize(1);
  }
}
