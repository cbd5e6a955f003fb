package dev.crm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.devkit.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateEnvTest {
    @Test
    void resolvesParametersResourcesAndIntrinsics(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Parameters:
                  StageName:
                    Type: String
                    Default: prod
                  Empty:
                    Type: String
                    Default: ''
                Resources:
                  CrmTable:
                    Type: AWS::DynamoDB::Table
                  Secret:
                    Type: AWS::SecretsManager::Secret
                """);
        TemplateEnv env = new TemplateEnv(SamTemplate.load(file), "LocalTable", "eu-west-1");
        assertEquals("plain", env.resolve("plain"));
        assertEquals("60", env.resolve(60));
        assertEquals("prod", env.resolve(Map.of("Ref", "StageName")));
        assertEquals("", env.resolve(Map.of("Ref", "Empty")));
        assertEquals("LocalTable", env.resolve(Map.of("Ref", "CrmTable")));
        assertEquals("arn:aws:secretsmanager:eu-west-1:000000000000:secret:Secret", env.resolve(Map.of("Ref", "Secret")));
        assertEquals("https://x/prod/eu-west-1", env.resolve(Map.of("Fn::Sub", "https://x/${StageName}/${AWS::Region}")));
        assertEquals("a,prod", env.resolve(Map.of("Fn::Join", List.of(",", List.of("a", Map.of("Ref", "StageName"))))));
        assertEquals("arn:aws:dynamodb:eu-west-1:000000000000:table/LocalTable/stream/bench",
                env.resolve(Map.of("Fn::GetAtt", List.of("CrmTable", "StreamArn"))));
    }
}
