package dev.crm.devkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one way out of {@link LogWatch}: a test (or a whole test class) that writes an email address,
 * a phone number, a key or a token on purpose, for instance to prove that the scrubber masks it or
 * that the watch reports it. The watch still looks at everything; what it finds is printed as a
 * notice naming the test and this reason instead of failing the test.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface WritesPersonalData {
    /** Why this test writes personal data: shown beside every finding the watch lets through. */
    String value();
}
