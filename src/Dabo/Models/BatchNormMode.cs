namespace Dabo.Models;

/// <summary>How BatchNorm layers behave in a forward pass.</summary>
public enum BatchNormMode
{
    /// <summary>Normalize with the batch's statistics and update the running statistics (ordinary training).</summary>
    TrainUpdate,

    /// <summary>Normalize with the batch's statistics and leave the running statistics untouched (look-ahead forwards).</summary>
    TrainNoUpdate,

    /// <summary>Normalize with the running statistics (evaluation).</summary>
    Eval,
}
