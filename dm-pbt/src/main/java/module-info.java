/**
 * iotdm's property-based testing library: seeded generators over recorded choice sequences,
 * properties, stateful runs, the one shrinker and the seed convention. Depends on the JDK only.
 */
module dev.iotdm.pbt {
    exports dev.iotdm.pbt;
}
