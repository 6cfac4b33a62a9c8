package org.ldmlab.data;

/** An axis-aligned rectangle of whole pixels: columns [left, left + width), rows [top, top + height). */
record Box(int left, int top, int width, int height) {
    int right() {
        return left + width;
    }

    int bottom() {
        return top + height;
    }

    double centreX() {
        return left + width / 2.0;
    }

    double centreY() {
        return top + height / 2.0;
    }

    /** Whether a point (in continuous pixel coordinates, e.g. a pixel centre) lies inside. */
    boolean contains(double x, double y) {
        return x >= left && x < right() && y >= top && y < bottom();
    }
}
