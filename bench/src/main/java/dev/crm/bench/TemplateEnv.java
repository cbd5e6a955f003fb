package dev.crm.bench;

import dev.crm.devkit.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a function's template environment values (plain values, {@code Ref}, {@code Fn::GetAtt},
 * {@code Fn::Sub}, {@code Fn::Join}) to the strings a deployment would give: parameters take their
 * defaults, the table its local name, other resources a stand-in physical id or ARN.
 */
public final class TemplateEnv {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final SamTemplate template;
    private final String tableName;
    private final String region;

    public TemplateEnv(SamTemplate template, String tableName, String region) {
        this.template = template;
        this.tableName = tableName;
        this.region = region;
    }

    public String resolve(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> m) {
            if (m.containsKey("Ref")) {
                return ref(String.valueOf(m.get("Ref")));
            }
            if (m.containsKey("Fn::GetAtt")) {
                List<Object> parts = SamTemplate.list(m.get("Fn::GetAtt"));
                return parts.size() == 2 ? getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1))) : "";
            }
            if (m.containsKey("Fn::Sub")) {
                Object arg = m.get("Fn::Sub");
                if (arg instanceof List<?> l && !l.isEmpty()) {
                    Map<String, Object> vars = SamTemplate.map(l.size() > 1 ? l.get(1) : null);
                    return sub(String.valueOf(l.get(0)), vars);
                }
                return sub(String.valueOf(arg), Map.of());
            }
            if (m.containsKey("Fn::Join")) {
                List<Object> parts = SamTemplate.list(m.get("Fn::Join"));
                if (parts.size() == 2) {
                    List<String> out = new ArrayList<>();
                    for (Object p : SamTemplate.list(parts.get(1))) {
                        out.add(resolve(p));
                    }
                    return String.join(String.valueOf(parts.get(0)), out);
                }
            }
            return "";
        }
        return String.valueOf(value);
    }

    private String sub(String text, Map<String, Object> vars) {
        Matcher m = SUB.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v;
            if (vars.containsKey(name)) {
                v = resolve(vars.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                String[] p = name.split("\\.", 2);
                v = getAtt(p[0], p[1]);
            } else {
                v = ref(name);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String ref(String name) {
        switch (name) {
            case "AWS::Region":
                return region;
            case "AWS::AccountId":
                return "000000000000";
            case "AWS::StackName":
                return "crm-bench";
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::NoValue":
                return "";
            default:
                break;
        }
        Map<String, Object> params = template.parameterDefaults();
        if (params.containsKey(name)) {
            Object d = params.get(name);
            return d == null ? "" : String.valueOf(d);
        }
        String logical = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        Map<String, Object> resource = template.resources().get(logical);
        if (resource == null) {
            return "";
        }
        String type = String.valueOf(resource.get("Type"));
        if (type.equals("AWS::DynamoDB::Table")) {
            return tableName;
        }
        if (type.equals("AWS::SecretsManager::Secret")) {
            return "arn:aws:secretsmanager:" + region + ":000000000000:secret:" + logical;
        }
        if (type.equals("AWS::SQS::Queue")) {
            return "https://sqs." + region + ".amazonaws.com/000000000000/" + logical;
        }
        return logical;
    }

    private String getAtt(String logical, String attribute) {
        Map<String, Object> resource = template.resources().get(logical);
        String type = resource == null ? "" : String.valueOf(resource.get("Type"));
        if (type.equals("AWS::DynamoDB::Table") && attribute.equals("StreamArn")) {
            return "arn:aws:dynamodb:" + region + ":000000000000:table/" + tableName + "/stream/bench";
        }
        if (type.equals("AWS::DynamoDB::Table") && attribute.equals("Arn")) {
            return "arn:aws:dynamodb:" + region + ":000000000000:table/" + tableName;
        }
        return "arn:aws:bench:" + region + ":000000000000:" + logical + "/" + attribute;
    }
}
