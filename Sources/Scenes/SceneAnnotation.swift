import DetectionData

/// A labelled object in a scene, in VOC conventions (``VOCAnnotationFile/Object``).
public typealias AnnotatedObject = VOCAnnotationFile.Object

/// The annotation of one scene: what its VOC XML file holds (``VOCAnnotationFile``).
public typealias SceneAnnotation = VOCAnnotationFile

extension VOCAnnotationFile {
    /// The VOC XML text of a synthetic scene (``text(folder:database:)`` with the generator's database name).
    public func vocXML(folder: String = "raw", database: String = "RawQuant synthetic raw scenes") -> String {
        text(folder: folder, database: database)
    }
}
