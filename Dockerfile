# syntax=docker/dockerfile:1
# The sf1820 image, built from source in two stages: Maven builds the application jar in a JDK image,
# and only the jar goes into a JRE image that runs as its own user. From the repository root:
#   docker build -t sf1820/app:0.1.0 .        (docker-compose.yml builds it the same way)
FROM eclipse-temurin:17-jdk AS build
# gcc and libdeflate's headers: the packager links libdeflate into its jar (packager/README.md)
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libdeflate-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY schemas schemas
COPY kafka-support kafka-support
COPY sftp-client sftp-client
COPY test-support test-support
COPY extractor extractor
COPY packager packager
COPY transporter transporter
COPY receipt-tracker receipt-tracker
COPY serviceplatform serviceplatform
COPY dst-receiver dst-receiver
COPY app app
# the Maven repository is a build cache, not part of any layer
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -pl app -am package

FROM eclipse-temurin:17-jre
# curl for the healthcheck (GET /actuator/health)
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# the work and staging folders belong to the image's user, so a named volume mounted there (initialised
# from the image) is writable by it; the staging volume is shared by every stage's containers
RUN useradd --system --uid 1820 sf1820 \
    && mkdir -p /var/lib/sf1820/staging /var/lib/sf1820/drop \
    && chown -R sf1820 /var/lib/sf1820 && chmod 0700 /var/lib/sf1820/staging
USER sf1820
WORKDIR /var/lib/sf1820
COPY --from=build /src/app/target/sf1820-app.jar /opt/sf1820/sf1820-app.jar
ENV SF1820_WORK_DIR=/var/lib/sf1820 \
    JAVA_TOOL_OPTIONS="-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro -Dorg.apache.avro.limits.string.maxLength=1048576 -Dorg.apache.avro.limits.bytes.maxLength=1048576 -Dorg.apache.avro.limits.collectionItems.maxLength=1048576"
EXPOSE 8820
ENTRYPOINT ["java", "-jar", "/opt/sf1820/sf1820-app.jar"]
CMD ["run"]
