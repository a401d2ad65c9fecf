package io.faaspot.api.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The architecture of DESIGN.md and STYLE.md, checked by the build. */
class ModuleBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.faaspot");

  @Test
  void featurePackagesOfTheServerHaveNoCycles() {
    slices().matching("io.faaspot.api.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void theSchedulerLibraryKnowsNothingOfTheServer() {
    noClasses()
        .that()
        .resideInAPackage("io.faaspot.scheduler..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.faaspot.api..", "org.springframework.web..", "jakarta.servlet..")
        .check(CLASSES);
  }

  @Test
  void storageIsExplicitSqlNotJpa() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.persistence..", "org.springframework.data..", "org.springframework.orm..")
        .check(CLASSES);
  }

  @Test
  void configurationAndWebHelpersDependOnNoFeature() {
    noClasses()
        .that()
        .resideInAnyPackage("io.faaspot.api.config..", "io.faaspot.api.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.faaspot.api.account..",
            "io.faaspot.api.deployment..",
            "io.faaspot.api.execution..",
            "io.faaspot.api.spot..",
            "io.faaspot.api.agentapi..",
            "io.faaspot.api.security..")
        .check(CLASSES);
  }

  @Test
  void controllersNeverAnswerWithEntities() {
    methods()
        .that()
        .areDeclaredInClassesThat()
        .areAnnotatedWith(RestController.class)
        .and()
        .areMetaAnnotatedWith(RequestMapping.class)
        .should(
            new ArchCondition<JavaMethod>("not return a stored row's class") {
              @Override
              public void check(JavaMethod method, ConditionEvents events) {
                if (isStoredRow(method.getRawReturnType())) {
                  events.add(
                      SimpleConditionEvent.violated(
                          method,
                          method.getFullName() + " returns a stored row; map it to a record"));
                }
              }
            })
        .check(CLASSES);
  }

  /** A class its repository reads from rows: it declares {@code static X read(ResultSet, int)}. */
  private static boolean isStoredRow(JavaClass type) {
    return type.getMethods().stream()
        .anyMatch(
            m ->
                m.getName().equals("read")
                    && m.getModifiers().contains(JavaModifier.STATIC)
                    && m.getRawParameterTypes().size() == 2
                    && m.getRawParameterTypes().get(0).isEquivalentTo(ResultSet.class)
                    && m.getRawReturnType().equals(type));
  }
}
