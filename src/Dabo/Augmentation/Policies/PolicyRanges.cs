namespace Dabo.Augmentation.Policies;

/// <summary>Which magnitude ranges a policy's operations span.</summary>
public enum PolicyRanges
{
    /// <summary>TrivialAugment-Wide's ranges (the table's): shear 0.99, translation the whole size, rotation 135°, enhance factors 1 ± 0.99, posterize 8 → 2 bits.</summary>
    Wide,

    /// <summary>RandAugment's (torchvision's) ranges: shear 0.3, translation 150/331 of the size, rotation 30°, enhance factors 1 ± 0.9, posterize 8 → 4 bits.</summary>
    Narrow,
}
