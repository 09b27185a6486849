public enum VersusServePlaceholder {}
