package dev.crm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectTest {
    @Test
    void discoversFunctionsModulesArtifactsAndWhichFunctionEachSampleStarts(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("template.yaml"), """
                Globals:
                  Function:
                    Timeout: 29
                    MemorySize: 1024
                    Environment:
                      Variables:
                        JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=1
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      Auth:
                        Authorizers:
                          KeyAuth:
                            FunctionArn: !Ref AuthFn.Alias
                  AuthFn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Auth::handleRequest
                      Timeout: 10
                  ApiFn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Api::handleRequest
                      Events:
                        GetThing:
                          Type: Api
                          Properties:
                            Path: /v1/things/{id}
                            Method: get
                        ListThings:
                          Type: Api
                          Properties:
                            Path: /v1/things
                            Method: get
                  Worker:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Worker::handleRequest
                      Events:
                        Queued:
                          Type: DynamoDB
                          Properties:
                            FilterCriteria:
                              Filters:
                                - Pattern: '{"dynamodb":{"NewImage":{"jobKind":{"S":["export"]}}}}'
                  Bounces:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Bounces::handleRequest
                      Events:
                        Notifications:
                          Type: SNS
                          Properties:
                            Topic: arn:aws:sns:eu-west-1:1:topic
                  Nightly:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Nightly::handleRequest
                      Events:
                        NightlyRun:
                          Type: Schedule
                          Properties:
                            Schedule: rate(1 day)
                """);
        Files.writeString(root.resolve("Makefile"), "build-AuthFn:\n\t$(call package,auth)\n\nbuild-ApiFn:\n\t$(call package,api)\n");
        Path events = Files.createDirectories(root.resolve("events/x"));
        Files.writeString(events.resolve("a-get.json"), """
                {"resource":"/v1/things/{id}","path":"/v1/things/1","httpMethod":"GET","requestContext":{}}""");
        Files.writeString(events.resolve("a-list.json"), """
                {"resource":"/v1/things","path":"/v1/things","httpMethod":"GET","requestContext":{}}""");
        Files.writeString(events.resolve("b-auth.json"), """
                {"type":"REQUEST","methodArn":"arn","headers":{}}""");
        Files.writeString(events.resolve("c-stream.json"), """
                {"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"NewImage":{"jobKind":{"S":"export"}}}}]}""");
        Files.writeString(events.resolve("d-schedule.json"), """
                {"detail-type":"Scheduled Event","resources":["arn:aws:events:eu-west-1:1:rule/NightlyRun"]}""");
        Files.writeString(events.resolve("f-sns.json"), """
                {"Records":[{"EventSource":"aws:sns","Sns":{"Message":"{}"}}]}""");
        Files.writeString(events.resolve("e-nobody.json"), """
                {"resource":"/v1/none","path":"/v1/none","httpMethod":"POST"}""");
        Path target = Files.createDirectories(root.resolve("functions/api/target"));
        Files.writeString(target.resolve("crm-fn-api-0.1.0-SNAPSHOT-lambda.jar"), "");
        Files.writeString(target.resolve("crm-fn-api-0.1.0-SNAPSHOT.jar"), "");

        Project p = new Project(root);
        assertEquals("api", p.module("ApiFn"));
        assertNull(p.module("Worker"));
        assertEquals("crm-fn-api-0.1.0-SNAPSHOT-lambda.jar", p.artifact("api").getFileName().toString());
        assertNull(p.artifact("auth"));
        assertEquals(10, p.timeoutSeconds(p.function("AuthFn")));
        assertEquals(29, p.timeoutSeconds(p.function("ApiFn")));
        assertEquals(1024, p.memoryMb(p.function("ApiFn")));
        assertEquals("-XX:TieredStopAtLevel=1", p.globalJavaToolOptions());

        Map<String, String> routes = new java.util.LinkedHashMap<>();
        for (Project.Sample s : p.samples()) {
            routes.put(s.name(), s.route() + " -> " + s.functionId());
        }
        assertEquals(Map.of(
                "x/a-get.json", "GET /v1/things/{id} -> ApiFn",
                "x/a-list.json", "GET /v1/things -> ApiFn",
                "x/b-auth.json", "authorizer -> AuthFn",
                "x/c-stream.json", "stream Queued -> Worker",
                "x/d-schedule.json", "schedule NightlyRun -> Nightly",
                "x/e-nobody.json", "POST /v1/none -> null",
                "x/f-sns.json", "sns Notifications -> Bounces"), routes);
        assertEquals(List.of("AuthFn", "ApiFn", "Worker", "Bounces", "Nightly"), List.copyOf(p.samplesByFunction().keySet()));
        assertEquals("x/a-list.json", Project.primary(p.samplesByFunction().get("ApiFn")).name());
    }
}
