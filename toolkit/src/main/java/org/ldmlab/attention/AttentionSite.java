package org.ldmlab.attention;

/** Where an attention call happens: layer name, self or cross attention, and the query image's size. */
public record AttentionSite(String layer, boolean cross, int height, int width) {}
